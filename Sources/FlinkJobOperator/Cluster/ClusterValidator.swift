import Foundation

/// Checks a FlinkSessionCluster beyond the CRD schema (offline `validate`, and local mode where no API server
/// applies the schema). Secrets and reachability are checked by the controller at run time, not here.
public enum ClusterValidator {
    /// Why credentials over `http://` are refused (the same text in `validate`, the CRD rule and the condition).
    public static let plaintextCredentials =
        "spec.auth credentials would cross the network in clear text to an http:// spec.restURL; use https:// "
        + "(with spec.tls) or set spec.auth.allowPlaintextHTTP: true"

    /// Every problem with `cluster`; empty when it is valid.
    public static func problems(_ cluster: FlinkSessionCluster) -> [String] {
        var problems: [String] = []
        let spec = cluster.spec
        if let url = URLComponents(string: spec.restURL), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme), !(url.host ?? "").isEmpty, url.query == nil, url.fragment == nil
        {
            if spec.tls != nil && scheme != "https" {
                problems.append("spec.tls needs an https:// spec.restURL")
            }
        } else {
            problems.append("spec.restURL \"\(spec.restURL.prefix(200))\" is not an absolute http(s) URL without query or fragment")
        }
        if let tls = spec.tls {
            if tls.caSecretRef != nil && tls.caFile != nil { problems.append("spec.tls takes at most one of caSecretRef and caFile") }
            if tls.insecureSkipVerify && (tls.caSecretRef != nil || tls.caFile != nil) {
                problems.append("spec.tls.insecureSkipVerify cannot be combined with a CA")
            }
            if let file = tls.caFile, !file.hasPrefix("/") { problems.append("spec.tls.caFile must be an absolute path") }
        }
        if let auth = spec.auth {
            let methods = [auth.bearerTokenSecretRef != nil, auth.apiKey != nil, auth.basic != nil, auth.kerberos != nil]
            if methods.filter({ $0 }).count > 1 { problems.append("spec.auth takes at most one method") }
            if auth.wouldSendInClearText(to: spec.restURL) { problems.append(plaintextCredentials) }
        }
        for (field, value) in [
            ("interval", spec.probe.interval), ("timeout", spec.probe.timeout), ("openDuration", spec.probe.openDuration),
        ] where GoDuration.parse(value).map({ $0 <= .zero }) ?? true {
            problems.append("spec.probe.\(field) \"\(value.prefix(64))\" is not a positive duration (use e.g. 10s)")
        }
        if let interval = GoDuration.parse(spec.probe.interval), let timeout = GoDuration.parse(spec.probe.timeout),
            timeout > interval
        {
            problems.append("spec.probe.timeout must not exceed spec.probe.interval")
        }
        if spec.probe.failureThreshold < 1 { problems.append("spec.probe.failureThreshold must be at least 1") }
        if let quotas = spec.quotas {
            if let p = quotas.maxParallelismPerJob, p < 1 { problems.append("spec.quotas.maxParallelismPerJob must be at least 1") }
            if let s = quotas.maxSlotsPerNamespace, s < 1 { problems.append("spec.quotas.maxSlotsPerNamespace must be at least 1") }
        }
        for prefix in spec.artifactPolicy?.allowedURIPrefixes ?? [] {
            let scheme = URLComponents(string: prefix)?.scheme?.lowercased()
            if !["http", "https", "file"].contains(scheme ?? "") {
                problems.append("spec.artifactPolicy.allowedURIPrefixes: \"\(prefix.prefix(200))\" must start with https://, http:// or file://")
            }
        }
        return problems
    }
}
