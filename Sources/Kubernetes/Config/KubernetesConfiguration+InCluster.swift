import Foundation
import HTTPTransport
import Logging

extension KubernetesConfiguration {
    /// Where a pod's service-account credentials are mounted.
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The configuration of a pod: server from `KUBERNETES_SERVICE_HOST`/`_PORT`, CA from `ca.crt`, a token
    /// re-read from `token` every `tokenRefreshInterval`, and the namespace from `namespace` (else `default`).
    ///
    /// - Throws: `KubernetesError.invalidConfiguration` when a variable or the token/CA file is missing.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = defaultServiceAccountDirectory,
        tokenRefreshInterval: Duration = FileTokenProvider.defaultRefreshInterval,
        logger: Logger
    ) throws -> KubernetesConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubernetesError.invalidConfiguration(
                "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set")
        }
        guard let portNumber = Int(port), (1...65_535).contains(portNumber) else {
            throw KubernetesError.invalidConfiguration("KUBERNETES_SERVICE_PORT \"\(port)\" is not a port number")
        }
        // An IPv6 service address needs brackets in a URL.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let directory = URL(fileURLWithPath: serviceAccountDirectory)
        let caPath = directory.appendingPathComponent("ca.crt").path
        guard FileManager.default.isReadableFile(atPath: caPath) else {
            throw KubernetesError.invalidConfiguration("the service-account CA file \(caPath) is missing or unreadable")
        }
        let tokenProvider = try FileTokenProvider(
            path: directory.appendingPathComponent("token").path, refreshInterval: tokenRefreshInterval,
            logger: logger)
        let namespaceText = try? String(
            contentsOfFile: directory.appendingPathComponent("namespace").path, encoding: .utf8)
        let namespace = namespaceText?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return KubernetesConfiguration(
            server: "https://\(hostPart):\(portNumber)",
            tls: TLSConfiguration(trustRoots: .file(path: caPath)),
            authentication: .bearer(tokenProvider),
            namespace: namespace.isEmpty ? "default" : namespace)
    }
}
