import Kubernetes

/// The policies of a FlinkSessionCluster — allowed namespaces, quotas, artifact policy — as a pure function.
///
/// - **Namespaces.** `allowedNamespaces` absent: every namespace. Present: the job's namespace must be listed in
///   `names` **or** its labels must match `selector`. When the namespace's labels are unknown (the operator may
///   not watch Namespaces: RBAC or configuration), only `names` can admit; a selector-only policy then refuses
///   with a message saying so.
/// - **Parallelism.** `quotas.maxParallelismPerJob` bounds `spec.parallelism`.
/// - **Slots.** `quotas.maxSlotsPerNamespace` bounds the sum of `spec.parallelism` over the namespace's FlinkJobs
///   on this cluster that hold slots, this job included. With Flink's default slot sharing a job of parallelism
///   *p* takes *p* slots. A job holds slots unless it is suspended (`spec.state: Suspended`, or status
///   Suspended), finished (status Succeeded or Failed), waiting for its next scheduled batch run (status
///   Scheduled), or being deleted. A job that would not hold slots itself is never refused for slots.
/// - **Artifacts.** `requireDigest` needs `artifact.digest`; `requireSignature` needs `artifact.signature`, by the
///   platform's keys (`SignatureTrust`: a job naming a key of its own namespace is refused);
///   `allowedURIPrefixes` must contain the jar or Python URI and the signature URI (`URIPrefix`: by scheme, host,
///   port and whole path segments, not by characters; inline SQL has no URI and passes).
public enum ClusterPolicy {
    /// Evaluates every policy of `cluster` for `job`.
    ///
    /// - Parameters:
    ///   - namespaceLabels: the labels of the job's namespace, `nil` when unknown.
    ///   - jobs: the FlinkJobs known to the operator (any namespace, any cluster); the job itself may be among them.
    public static func evaluate(
        _ job: FlinkJob, on cluster: FlinkSessionCluster, namespaceLabels: [String: String]?, jobs: [FlinkJob]
    ) -> Admission {
        var reasons: [Refusal] = []
        let clusterName = cluster.metadata.name ?? ""
        let namespace = job.metadata.namespace ?? ""
        let spec = cluster.spec

        if let allowed = spec.allowedNamespaces, let refusal = namespaceRefusal(
            namespace, allowed: allowed, labels: namespaceLabels, cluster: clusterName)
        {
            reasons.append(Refusal(.namespaceNotAllowed, refusal))
        }

        if let maximum = spec.quotas?.maxParallelismPerJob, job.spec.parallelism > maximum {
            reasons.append(Refusal(.quotaExceeded,
                "parallelism \(job.spec.parallelism) exceeds the limit of \(maximum) per job on FlinkSessionCluster "
                    + "\"\(clusterName)\""))
        }

        if let maximum = spec.quotas?.maxSlotsPerNamespace, wouldHoldSlots(job) {
            let others = jobs.filter {
                $0.metadata.namespace == job.metadata.namespace && $0.metadata.name != job.metadata.name
                    && $0.spec.clusterRef.name == clusterName && holdsSlots($0)
            }
            let used = others.reduce(0) { $0 + $1.spec.parallelism }
            if used + job.spec.parallelism > maximum {
                reasons.append(Refusal(.quotaExceeded,
                    "namespace \"\(namespace)\" would use \(used + job.spec.parallelism) slots on FlinkSessionCluster "
                        + "\"\(clusterName)\" (\(used) by \(others.count) other job\(others.count == 1 ? "" : "s") + "
                        + "\(job.spec.parallelism) by this one), above its quota of \(maximum)"))
            }
        }

        if let policy = spec.artifactPolicy {
            reasons += artifactRefusals(job.spec.artifact, policy: policy, cluster: clusterName).map { Refusal(.artifactNotAllowed, $0) }
        }
        return reasons.isEmpty ? .admitted : .refused(reasons)
    }

    /// Whether `job` counts against the namespace's slot quota: only a job that runs or is being deployed holds
    /// slots. A job that was never deployed (including one this quota refused), or that is suspended, finished,
    /// failed, held, waiting for its next scheduled run or being deleted, holds none — so another job's
    /// admission never changes a running job's.
    public static func holdsSlots(_ job: FlinkJob) -> Bool {
        guard job.spec.state == .running, !job.metadata.isDeleting, let status = job.status else { return false }
        switch status.phase ?? Phase.migrated(from: status) {
        case .deploying, .running, .stopping: return true
        case .pending, .suspended, .finished, .failed, .held, .scheduled, .succeeded: return false
        }
    }

    /// Whether `job`, admitted, would hold slots: it is meant to run (the job being admitted is judged by its spec,
    /// the others by what they hold now).
    static func wouldHoldSlots(_ job: FlinkJob) -> Bool {
        guard job.spec.state == .running, !job.metadata.isDeleting else { return false }
        switch job.status?.phase {
        case .finished?, .failed?, .succeeded?, .scheduled?: return false
        default: return true
        }
    }

    private static func namespaceRefusal(
        _ namespace: String, allowed: FlinkSessionClusterSpec.AllowedNamespaces, labels: [String: String]?,
        cluster: String
    ) -> String? {
        if let names = allowed.names, names.contains(namespace) { return nil }
        var allowedText: [String] = []
        if let names = allowed.names { allowedText.append("names [\(names.joined(separator: ", "))]") }
        if let selector = allowed.selector {
            allowedText.append("selector \"\(selector.queryString)\"")
            guard let labels else {
                return "namespace \"\(namespace)\" is not listed in allowedNamespaces.names of FlinkSessionCluster "
                    + "\"\(cluster)\", and its labels cannot be checked against the selector because the operator "
                    + "does not read Namespaces; list it by name"
            }
            if selector.matches(labels) { return nil }
        }
        let rule = allowedText.isEmpty ? "no namespaces" : allowedText.joined(separator: " or ")
        return "namespace \"\(namespace)\" is not allowed on FlinkSessionCluster \"\(cluster)\" (allowed: \(rule))"
    }

    private static func artifactRefusals(
        _ artifact: FlinkJobSpec.Artifact, policy: FlinkSessionClusterSpec.ArtifactPolicy, cluster: String
    ) -> [String] {
        var reasons: [String] = []
        if policy.requireDigest && (artifact.digest ?? "").isEmpty {
            reasons.append("FlinkSessionCluster \"\(cluster)\" requires artifact.digest (sha256:<hex>)")
        }
        if policy.requireSignature && artifact.signature == nil {
            reasons.append("FlinkSessionCluster \"\(cluster)\" requires artifact.signature")
        }
        if let signature = artifact.signature,
            case .failure(let refusal) = SignatureTrust(required: policy.requireSignature).verifier(for: signature, cluster: cluster)
        {
            reasons.append(refusal.description)
        }
        if let prefixes = policy.allowedURIPrefixes {
            let uris = [
                ("artifact URI", artifact.jar?.uri ?? artifact.python?.uri), ("signature URI", artifact.signature?.uri),
            ]
            for case let (what, uri?) in uris where !URIPrefix.matchesAny(uri, of: prefixes) {
                reasons.append(
                    "\(what) \"\(uri)\" is not under any prefix FlinkSessionCluster \"\(cluster)\" allows "
                        + "([\(prefixes.joined(separator: ", "))])")
            }
        }
        return reasons
    }
}
