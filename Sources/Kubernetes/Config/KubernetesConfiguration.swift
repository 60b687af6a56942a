import Foundation
import HTTPTransport
import Logging

/// Where the API server is and how to talk to it: URL, TLS, credentials and the default namespace.
///
/// Build one by hand, or with `load(…)` (in-cluster when running in a pod, else kubeconfig),
/// `inCluster(…)` or `kubeconfig(…)`.
public struct KubernetesConfiguration: Sendable {
    /// The server's base URL (`https://10.96.0.1:443`), without a trailing slash; paths are appended to it.
    public var server: String
    /// TLS trust and client certificate.
    public var tls: TLSConfiguration
    /// How requests authenticate; `nil` sends no credentials (the server treats that as `system:anonymous`).
    public var authentication: HTTPAuthentication?
    /// The namespace used when a caller asks for "the default namespace".
    public var namespace: String
    /// The limit for one non-watch request; `nil` uses the HTTP client's default.
    public var requestTimeout: Duration?

    /// A configuration with the given values.
    public init(
        server: String,
        tls: TLSConfiguration = TLSConfiguration(),
        authentication: HTTPAuthentication? = nil,
        namespace: String = "default",
        requestTimeout: Duration? = .seconds(30)
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.authentication = authentication
        self.namespace = namespace
        self.requestTimeout = requestTimeout
    }

    /// The in-cluster configuration when `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are set,
    /// otherwise the kubeconfig one.
    ///
    /// - Parameters:
    ///   - environment: the process environment (injectable for tests).
    ///   - context: a kubeconfig context overriding `current-context` (ignored in-cluster).
    ///   - serviceAccountDirectory: where the in-cluster `token`, `ca.crt` and `namespace` files are.
    /// - Throws: `KubernetesError.invalidConfiguration` naming what is missing or unsupported.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        context: String? = nil,
        serviceAccountDirectory: String = KubernetesConfiguration.defaultServiceAccountDirectory,
        tokenRefreshInterval: Duration = FileTokenProvider.defaultRefreshInterval,
        logger: Logger
    ) throws -> KubernetesConfiguration {
        if environment["KUBERNETES_SERVICE_HOST"]?.isEmpty == false,
            environment["KUBERNETES_SERVICE_PORT"]?.isEmpty == false
        {
            return try inCluster(
                environment: environment, serviceAccountDirectory: serviceAccountDirectory,
                tokenRefreshInterval: tokenRefreshInterval, logger: logger)
        }
        return try kubeconfig(environment: environment, context: context, logger: logger)
    }
}
