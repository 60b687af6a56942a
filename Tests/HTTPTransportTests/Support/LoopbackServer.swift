import Crypto
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// How the loopback test server talks.
enum ServerSecurity: Sendable {
    /// Plain HTTP/1.1.
    case plain
    /// HTTPS with a certificate from `TestPKI.shared` for 127.0.0.1 and localhost.
    case tls
    /// HTTPS that also requires a client certificate signed by `TestPKI.shared`'s CA.
    case mutualTLS
}

/// Real Hummingbird 2 servers on 127.0.0.1 with ephemeral ports, serving `TestRoutes`.
///
/// One server per kind, started on first use and shared by every test of the process (tests tell their own
/// connections apart by the client port the server reports). Sharing also sidesteps a trap in Hummingbird
/// 2.28/NIO: stopping a server while a just-accepted connection is being set up deinitialises an unfinished
/// `NIOAsyncWriter`, which crashes the process.
enum LoopbackServer {
    /// Runs `body` with the port of the shared server of the given kind.
    @discardableResult
    static func with<T>(_ security: ServerSecurity = .plain, _ body: (Int) async throws -> T) async throws -> T {
        let port: Int
        switch security {
        case .plain: port = try await plain.value
        case .tls: port = try await tls.value
        case .mutualTLS: port = try await mutualTLS.value
        }
        return try await body(port)
    }

    private static let plain = Task { try await start(server: .http1()) }
    private static let tls = Task { try await start(server: .tls(.http1(), tlsConfiguration: serverTLS(requireClientCertificate: false))) }
    private static let mutualTLS = Task {
        try await start(server: .tls(.http1(), tlsConfiguration: serverTLS(requireClientCertificate: true)))
    }

    /// Starts a server that runs until the process exits; returns its port.
    private static func start(server: HTTPServerBuilder) async throws -> Int {
        let router = Router(context: TestRequestContext.self)
        TestRoutes.register(on: router)
        var logger = Logger(label: "loopback-test-server")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        // Never stopped: the process exit ends it.
        Task {
            do {
                try await app.runService(gracefulShutdownSignals: [])
            } catch {
                portContinuation.finish()
            }
        }
        guard let port = await ports.first(where: { _ in true }), port > 0 else {
            throw LoopbackServerError.didNotStart
        }
        return port
    }

    private static func serverTLS(requireClientCertificate: Bool) throws -> NIOSSL.TLSConfiguration {
        let pki = try TestPKI.shared.get()
        let certificate = try NIOSSLCertificate(bytes: Array(pki.server.certificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(pki.server.privateKeyPEM.utf8), format: .pem)
        var configuration = NIOSSL.TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate)],
            privateKey: .privateKey(key)
        )
        if requireClientCertificate {
            configuration.trustRoots = .certificates([
                try NIOSSLCertificate(bytes: Array(pki.authority.certificatePEM.utf8), format: .pem)
            ])
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }
}

enum LoopbackServerError: Error {
    case didNotStart
}

/// A request context that remembers the client's port, so tests can count TCP connections.
struct TestRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's source port: one per TCP connection.
    let remotePort: Int

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remotePort = source.channel.remoteAddress?.port ?? -1
    }
}

/// The test server's endpoints. Responses are plain text `key=value` lines, easy to assert on.
enum TestRoutes {
    static func register(on router: Router<TestRequestContext>) {
        router.get("hello") { _, _ in "hello" }
        router.head("hello") { _, _ in Response(status: .ok) }

        router.get("status/:code") { _, context in
            let code = context.parameters.get("code", as: Int.self) ?? 500
            return Response(status: .init(code: code), body: ResponseBody(byteBuffer: ByteBuffer(string: "status \(code)")))
        }

        // Which connection served this request: the client's source port.
        router.get("connection") { _, context in "\(context.remotePort)" }

        router.get("echo-headers") { request, _ in
            let names = ["authorization", "x-api-key", "user-agent", "x-custom", "x-empty"]
            return names.map { "\($0)=\(request.header($0) ?? "<none>")" }.joined(separator: "\n")
        }

        for method in [HTTPRequest.Method.post, .put, .patch, .delete, .get] {
            router.on("digest", method: method) { request, _ in
                var hasher = SHA256()
                var length = 0
                for try await buffer in request.body {
                    length += buffer.readableBytes
                    hasher.update(buffer.readableBytesView)
                }
                return [
                    "method=\(request.method.rawValue)",
                    "length=\(length)",
                    "sha256=\(hasher.finalizeHex())",
                    "content-type=\(request.header("content-type") ?? "<none>")",
                    "content-length=\(request.header("content-length") ?? "<none>")",
                    "transfer-encoding=\(request.header("transfer-encoding") ?? "<none>")",
                    "expect=\(request.header("expect") ?? "<none>")",
                ].joined(separator: "\n")
            }
        }

        router.on("multipart", method: .post) { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            let boundary = try MultipartParser.boundary(fromContentType: request.header("content-type") ?? "")
            let parts = try MultipartParser.parse(Array(body.readableBytesView), boundary: boundary)
            return parts.map { part in
                [
                    part.name ?? "<none>", part.filename ?? "<none>", part.contentType ?? "<none>",
                    "\(part.body.count)", SHA256.hex(of: part.body),
                ].joined(separator: "|")
            }.joined(separator: "\n")
        }

        // `count` bytes, streamed in 64 KiB chunks without a Content-Length.
        router.get("bytes") { request, _ in
            let count = Int(request.uri.queryParameters["count"] ?? "") ?? 0
            return Response(
                status: .ok,
                body: ResponseBody { writer in
                    let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 << 10)
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

        // `count` bytes in one buffer, so the response declares its Content-Length.
        router.get("sized") { request, _ in
            let count = Int(request.uri.queryParameters["count"] ?? "") ?? 0
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "b"), count: count)))
        }

        // A few bytes, then silence until the server stops.
        router.get("stall") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "first bytes\n"))
                    try await Task.sleep(for: .seconds(120))
                    try await writer.finish(nil)
                }
            )
        }

        // No response head for a long time.
        router.get("slow-head") { _, _ in
            try await Task.sleep(for: .seconds(120))
            return "too late"
        }

        // Newline-delimited JSON written so that lines straddle writes and writes hold several lines; the
        // pauses make the client see separate chunks.
        router.get("ndjson") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    let pieces = [
                        "{\"type\":\"ADDED\",\"n\":1}\n{\"type\":\"MOD",
                        "IFIED\",\"n\":2}\n",
                        "{\"type\":\"DELETED\",\"n\":3}\r\n\n{\"type\":\"BOOKMARK\",\"n\":4}\n{\"type\":",
                        "\"ADDED\",\"n\":5}",
                    ]
                    for piece in pieces {
                        try await writer.write(ByteBuffer(string: piece))
                        try await Task.sleep(for: .milliseconds(30))
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }
}

extension Request {
    /// The first value of a header, matched case-insensitively.
    fileprivate func header(_ name: String) -> String? {
        headers.first { $0.name.canonicalName == name.lowercased() }?.value
    }
}
