import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import TLSFixtures

/// The loopback servers the benchmark talks to, all in this process.
struct BenchmarkServers: Sendable {
    /// Port of the plain HTTP/1.1 server.
    var httpPort: Int
    /// Port of the HTTPS server that speaks HTTP/1.1 only (no ALPN).
    var httpsPort: Int
    /// Port of the HTTPS server that offers HTTP/2 through ALPN.
    var http2Port: Int
    /// The CA that signed the servers' certificate, PEM.
    var certificateAuthorityPEM: String

    /// Starts the three servers, runs `body`, then stops them.
    static func run(_ body: (BenchmarkServers) async throws -> Void) async throws {
        let authority = try CertificateAuthority(commonName: "transport-benchmark CA")
        let leaf = try authority.issue()
        let certificate = try NIOSSLCertificate(bytes: Array(leaf.certificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem)
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))

        let router = Router()
        // A small JSON body, about the size of a Kubernetes status reply.
        router.get("small") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"kind":"Status","status":"Success","code":200}"#))
            )
        }
        // `count` bytes streamed in 64 KiB chunks: a long download to leave unread (paused) in one scenario.
        router.get("bytes") { request, _ in
            let count = Int(request.uri.queryParameters["count"] ?? "") ?? 0
            return Response(
                status: .ok,
                body: ResponseBody { writer in
                    let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 << 10)
                    var remaining = count
                    while remaining > 0 {
                        let size = min(remaining, chunk.readableBytes)
                        try await writer.write(chunk.getSlice(at: 0, length: size) ?? chunk)
                        remaining -= size
                    }
                    try await writer.finish(nil)
                }
            )
        }
        let responder = router.buildResponder()
        var logger = Logger(label: "transport-benchmark-server")
        logger.logLevel = .critical

        let builders: [HTTPServerBuilder] = [
            .http1(),
            try .tls(.http1(), tlsConfiguration: tls),
            try .http2Upgrade(tlsConfiguration: tls),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            var ports: [Int] = []
            for builder in builders {
                let (stream, continuation) = AsyncStream<Int>.makeStream()
                let app = Application(
                    responder: responder,
                    server: builder,
                    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { channel in
                        continuation.yield(channel.localAddress?.port ?? 0)
                        continuation.finish()
                    },
                    logger: logger
                )
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                guard let port = await stream.first(where: { _ in true }), port > 0 else {
                    throw BenchmarkError.serverDidNotStart
                }
                ports.append(port)
            }
            defer { group.cancelAll() }
            try await body(
                BenchmarkServers(
                    httpPort: ports[0],
                    httpsPort: ports[1],
                    http2Port: ports[2],
                    certificateAuthorityPEM: authority.certificatePEM
                )
            )
        }
    }
}

/// Why the benchmark could not run.
enum BenchmarkError: Error, CustomStringConvertible {
    case serverDidNotStart
    case unexpectedStatus(Int)
    case badArguments(String)

    var description: String {
        switch self {
        case .serverDidNotStart: "a loopback server did not start"
        case .unexpectedStatus(let status): "unexpected HTTP status \(status)"
        case .badArguments(let message): message
        }
    }
}
