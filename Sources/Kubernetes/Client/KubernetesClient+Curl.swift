import HTTPTransport
import Logging

extension KubernetesClient {
    /// A client over a new libcurl transport set up from `configuration` (TLS, credentials, timeouts).
    ///
    /// The transport keeps connections alive across requests; watches use no total timeout but an idle
    /// timeout of `watchIdleTimeout` (pass a value above the watches' `timeoutSeconds`, or `nil`).
    ///
    /// - Throws: `KubernetesError.invalidConfiguration` when the transport refuses the settings.
    ///
    /// - Parameter metered: count and time requests as `kubernetes_client_requests_total{verb,code}` and
    ///   `kubernetes_client_request_duration_seconds{verb}` (swift-metrics).
    public init(
        configuration: KubernetesConfiguration, logger: Logger, userAgent: String = KubernetesClient.defaultUserAgent,
        watchIdleTimeout: Duration? = nil, metered: Bool = false
    ) throws {
        // The transport's own per-request debug lines would duplicate this client's; keep its warnings.
        var transportLogger = logger
        transportLogger.logLevel = max(logger.logLevel, .info)
        let transport: CurlHTTPClient
        do {
            transport = try CurlHTTPClient(
                configuration: CurlHTTPClient.Configuration(
                    tls: configuration.tls, defaultAuth: configuration.authentication,
                    requestTimeout: configuration.requestTimeout, idleTimeout: watchIdleTimeout,
                    userAgent: userAgent, logger: transportLogger))
        } catch {
            throw KubernetesError.invalidConfiguration("cannot set up the HTTP transport: \(error)")
        }
        let client: any HTTPClient =
            metered ? MeteredHTTPClient(transport, prefix: "kubernetes_client", methodLabel: "verb") : transport
        self.init(configuration: configuration, httpClient: client, logger: logger, userAgent: userAgent)
    }

    /// Stops the transport when it is the libcurl one this type created (other transports are the caller's).
    public func shutdown() async {
        let transport = (httpClient as? MeteredHTTPClient)?.base ?? httpClient
        if let curl = transport as? CurlHTTPClient { await curl.shutdown() }
    }
}
