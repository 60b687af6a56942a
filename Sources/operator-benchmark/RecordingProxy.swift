import Foundation
import HTTPTransport
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A loopback HTTP proxy in front of Flink's REST API that records when each request arrived (and its body),
/// so the benchmark can see the instant the operator's first Flink request for a job reached "Flink".
final class RecordingProxy: Sendable {
    struct Arrival: Sendable {
        var time: ContinuousClock.Instant
        var method: String
        var path: String
        var body: String
    }

    let port: Int
    private let log: ArrivalLog
    private let task: Task<Void, any Error>

    private init(port: Int, log: ArrivalLog, task: Task<Void, any Error>) {
        self.port = port
        self.log = log
        self.task = task
    }

    /// Everything recorded so far.
    var recorded: [Arrival] { log.all }

    /// Starts a proxy forwarding to `target` (e.g. `http://127.0.0.1:8081`).
    static func start(forwardingTo target: String, http: CurlHTTPClient) async throws -> RecordingProxy {
        let log = ArrivalLog()
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ -> Response in
                let arrived = ContinuousClock.now
                let body = try await request.body.collect(upTo: 64 << 20)
                let path = request.uri.description
                log.append(Arrival(time: arrived, method: method.rawValue, path: path, body: String(buffer: body)))
                var headers: HTTPTransport.HTTPHeaders = [:]
                if let type = request.headers[.contentType] { headers["Content-Type"] = type }
                let forwarded = try await http.execute(HTTPTransport.HTTPRequest(
                    method: HTTPTransport.HTTPMethod(rawValue: method.rawValue), url: target + path, headers: headers,
                    body: body.readableBytes > 0 ? .bytes(Data(buffer: body)) : .empty))
                return Response(
                    status: .init(code: forwarded.status),
                    headers: [.contentType: forwarded.headers["Content-Type"] ?? "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: forwarded.body)))
            }
        }
        var logger = Logger(label: "recording-proxy")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        guard let port = await stream.first(where: { _ in true }), port > 0 else {
            task.cancel()
            throw OperatorBenchmarkError.step("the recording proxy did not start")
        }
        return RecordingProxy(port: port, log: log, task: task)
    }

    func stop() {
        task.cancel()
    }
}

/// The recorded arrivals, shared between the route handlers and the benchmark.
private final class ArrivalLog: Sendable {
    private let arrivals = Mutex<[RecordingProxy.Arrival]>([])

    var all: [RecordingProxy.Arrival] { arrivals.withLock { $0 } }

    func append(_ arrival: RecordingProxy.Arrival) {
        arrivals.withLock { $0.append(arrival) }
    }
}
