import ControllerRuntime
import FlinkREST
import Foundation
import HTTPTransport
import Kubernetes
import Logging

/// A Flink REST client for one FlinkSessionCluster, built from its spec and the Secrets it references.
///
/// - **TLS:** the CA from `tls.caSecretRef` (PEM text) or `tls.caFile`; a client certificate and key from
///   `tls.clientCertSecretRef` for mutual TLS; `insecureSkipVerify` turns verification off and is logged at
///   warning level every time a client is built.
/// - **Auth:** a bearer token (`auth.bearerTokenSecretRef`), an API-key header (`auth.apiKey`), or basic auth
///   from a Secret's `username` and `password` keys (`auth.basic`). Kerberos (`auth.kerberos`) uses SPNEGO
///   through the system GSS-API (`HTTPAuthentication.negotiate`): the credentials come from the process's ticket
///   cache or keytab, so the keytab Secret must be mounted into the operator pod and named by
///   `KRB5_CLIENT_KTNAME` (and the principal be the keytab's default); the operator does not copy keytabs out of
///   Secrets itself.
/// - Secrets are read from the operator's cache (a reflector), never with an API call per request.
///
/// Each connection owns its libcurl transport (TLS settings are per transport); the registry caches it by
/// `ConnectionKey` and shuts it down when the spec or a referenced Secret changes.
public struct ClusterConnection: Sendable {
    /// What the connection was built from: the spec parts that matter and the referenced Secrets' versions.
    public struct Key: Sendable, Hashable {
        var restURL: String
        var tls: FlinkSessionClusterSpec.TLS?
        var auth: FlinkSessionClusterSpec.Auth?
        var probeTimeout: String
        var secretVersions: [String: String]
    }

    /// The client for FlinkJob reconciles (30 s request timeout).
    public let client: FlinkRESTClient
    /// The same transport with the probe timeout (`spec.probe.timeout`).
    public let probeClient: FlinkRESTClient
    /// What the connection was built from.
    public let key: Key
    let transport: CurlHTTPClient

    /// The key a connection for `cluster` would have now.
    static func key(for cluster: FlinkSessionCluster, secrets: Store<Secret>) -> Key {
        var versions: [String: String] = [:]
        for reference in referencedSecrets(cluster.spec) {
            let secret = secrets.get(ObjectKey(namespace: reference.namespace, name: reference.name))
            versions["\(reference.namespace)/\(reference.name)"] = secret?.metadata.resourceVersion ?? "absent"
        }
        return Key(
            restURL: cluster.spec.restURL, tls: cluster.spec.tls, auth: cluster.spec.auth,
            probeTimeout: cluster.spec.probe.timeout, secretVersions: versions)
    }

    /// Builds a connection for `cluster`.
    ///
    /// - Throws: `ClusterConnectionError` naming the bad URL, missing Secret or key, or refused transport settings.
    static func build(cluster: FlinkSessionCluster, secrets: Store<Secret>, logger: Logger) throws(ClusterConnectionError)
        -> ClusterConnection
    {
        let spec = cluster.spec
        let name = cluster.metadata.name ?? ""
        guard let url = URLComponents(string: spec.restURL), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", !(url.host ?? "").isEmpty
        else {
            throw .invalidRESTURL("\"\(spec.restURL)\" is not an absolute http(s) URL")
        }
        // Before any Secret is read: credentials never leave the operator over a clear-text connection.
        if spec.auth?.wouldSendInClearText(to: spec.restURL) == true {
            throw .credentialsOverPlaintext
        }
        var tls = TLSConfiguration()
        if let reference = spec.tls?.caSecretRef {
            tls.trustRoots = .pem(try text(reference.namespace, reference.name, reference.key, secrets))
        } else if let file = spec.tls?.caFile {
            tls.trustRoots = .file(path: file)
        }
        if let reference = spec.tls?.clientCertSecretRef {
            tls.clientCertificate = .pem(try text(reference.namespace, reference.name, reference.certKey, secrets))
            tls.clientKey = .pem(try text(reference.namespace, reference.name, reference.keyKey, secrets))
        }
        if spec.tls?.insecureSkipVerify == true {
            tls.insecureSkipVerify = true
            logger.warning(
                "TLS verification of the Flink REST API is OFF (insecureSkipVerify): anyone on the network path can impersonate this cluster",
                metadata: ["flinksessioncluster.name": "\(name)", "flink.rest_url": "\(spec.restURL)"])
        }

        var authentication: HTTPAuthentication?
        if let auth = spec.auth {
            if let reference = auth.bearerTokenSecretRef {
                let token = try text(reference.namespace, reference.name, reference.key, secrets)
                authentication = .bearer(StaticBearerToken(token.trimmingCharacters(in: .whitespacesAndNewlines)))
            } else if let apiKey = auth.apiKey {
                let value = try text(apiKey.secretRef.namespace, apiKey.secretRef.name, apiKey.secretRef.key, secrets)
                authentication = .header(name: apiKey.header, value: value.trimmingCharacters(in: .whitespacesAndNewlines))
            } else if let basic = auth.basic {
                let reference = basic.secretRef
                authentication = .basic(
                    username: try text(reference.namespace, reference.name, "username", secrets),
                    password: try text(reference.namespace, reference.name, "password", secrets))
            } else if let kerberos = auth.kerberos {
                authentication = .negotiate
                logger.debug(
                    "Using Kerberos (SPNEGO) through GSS-API; the keytab must be mounted and named by KRB5_CLIENT_KTNAME",
                    metadata: ["flinksessioncluster.name": "\(name)", "kerberos.principal": "\(kerberos.principal)"])
            }
        }

        let transport: CurlHTTPClient
        do {
            transport = try CurlHTTPClient(
                configuration: CurlHTTPClient.Configuration(
                    tls: tls, defaultAuth: authentication, connectTimeout: .seconds(5),
                    userAgent: "flink-job-controller", logger: logger))
        } catch {
            throw .transport("\(error)")
        }
        let probeTimeout = GoDuration.parse(spec.probe.timeout) ?? .seconds(5)
        do {
            let metered = MeteredHTTPClient(transport, prefix: "flink_client", methodLabel: "method")
            let client = try FlinkRESTClient(
                httpClient: metered, baseURL: spec.restURL, authentication: authentication, logger: logger)
            let probeClient = try FlinkRESTClient(
                httpClient: metered, baseURL: spec.restURL, authentication: authentication,
                requestTimeout: probeTimeout, logger: logger)
            return ClusterConnection(
                client: client, probeClient: probeClient, key: key(for: cluster, secrets: secrets), transport: transport)
        } catch {
            // The transport was created for nothing; it holds a thread, so stop it.
            Task { await transport.shutdown() }
            throw .invalidRESTURL(error.message)
        }
    }

    /// Stops the transport (in-flight requests fail).
    func shutdown() async {
        await transport.shutdown()
    }

    private static func text(_ namespace: String, _ name: String, _ key: String, _ secrets: Store<Secret>) throws(ClusterConnectionError)
        -> String
    {
        guard let secret = secrets.get(ObjectKey(namespace: namespace, name: name)) else {
            throw .secretNotFound(namespace: namespace, name: name)
        }
        guard let value = secret.string(forKey: key) else {
            throw .secretKeyMissing(namespace: namespace, name: name, key: key)
        }
        return value
    }

    static func referencedSecrets(_ spec: FlinkSessionClusterSpec) -> [(namespace: String, name: String)] {
        var references: [(String, String)] = []
        if let reference = spec.tls?.caSecretRef { references.append((reference.namespace, reference.name)) }
        if let reference = spec.tls?.clientCertSecretRef { references.append((reference.namespace, reference.name)) }
        if let reference = spec.auth?.bearerTokenSecretRef { references.append((reference.namespace, reference.name)) }
        if let reference = spec.auth?.apiKey?.secretRef { references.append((reference.namespace, reference.name)) }
        if let reference = spec.auth?.basic?.secretRef { references.append((reference.namespace, reference.name)) }
        return references
    }
}
