import Logging

extension CurlHTTPClient {
    /// Settings of a client, fixed at creation.
    public struct Configuration: Sendable {
        /// TLS trust, client certificate and verification.
        public var tls: TLSConfiguration
        /// Authentication for requests that bring none of their own.
        public var defaultAuth: HTTPAuthentication?
        /// Limit for resolving the host and completing the TCP and TLS handshakes.
        public var connectTimeout: Duration
        /// Limit for a whole `execute` exchange when the request sets none; `nil` means no limit. Streams use
        /// only the request's own `timeout` (watches run for as long as the server keeps them open).
        public var requestTimeout: Duration?
        /// Abort a transfer (with `HTTPTransportError.timedOut`) when no byte moved for this long, counted from
        /// the start of the request; `nil` means never. Time spent paused because the body's reader is slow,
        /// or because a streamed request body has nothing yet, does not count.
        public var idleTimeout: Duration?
        /// Largest body `execute` collects; a larger one fails with `HTTPTransportError.bodyTooLarge`.
        public var maxResponseBodyBytes: Int
        /// Bound on the bytes a streaming body buffers before the transfer pauses until the reader catches up.
        public var streamBufferBytes: Int
        /// The `User-Agent` header.
        public var userAgent: String
        /// Most connections to one host at a time; further transfers queue inside libcurl. `nil` means no
        /// limit. Beware: over HTTP/1.1 every open watch holds a connection, so a small limit can starve
        /// ordinary requests behind long watches.
        public var maxConnectionsPerHost: Int?
        /// Use HTTP/2 over TLS where the server offers it through ALPN (HTTP/1.1 otherwise, and always for
        /// plain `http://`); `false` forces HTTP/1.1.
        public var preferHTTP2: Bool
        /// Where the client logs: one debug line per request (method, URL without query, status, duration),
        /// and a warning when TLS verification is off. Headers and bodies are never logged.
        public var logger: Logger

        /// Creates a configuration; every parameter has a production default.
        public init(
            tls: TLSConfiguration = TLSConfiguration(),
            defaultAuth: HTTPAuthentication? = nil,
            connectTimeout: Duration = .seconds(10),
            requestTimeout: Duration? = .seconds(60),
            idleTimeout: Duration? = nil,
            maxResponseBodyBytes: Int = 64 << 20,
            streamBufferBytes: Int = 1 << 20,
            userAgent: String = "flink-job-controller",
            maxConnectionsPerHost: Int? = nil,
            preferHTTP2: Bool = true,
            logger: Logger = Logger(label: "HTTPTransport", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            self.tls = tls
            self.defaultAuth = defaultAuth
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.maxResponseBodyBytes = maxResponseBodyBytes
            self.streamBufferBytes = streamBufferBytes
            self.userAgent = userAgent
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.preferHTTP2 = preferHTTP2
            self.logger = logger
        }
    }
}
