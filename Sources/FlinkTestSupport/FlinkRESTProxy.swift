import Foundation
import HTTPTransport
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A loopback HTTP proxy in front of Flink's REST API for tests and benchmarks: it records when each request
/// arrived (and its body), and lets a test act at the instant Flink has answered a request but before the caller
/// has the answer — e.g. kill the operator right after Flink accepted `POST /jars/:id/run`, which is a real crash
/// at the worst moment without any hook in the operator.
public final class FlinkRESTProxy: Sendable {
    public struct Arrival: Sendable {
        public var time: ContinuousClock.Instant
        public var method: String
        public var path: String
        public var body: String
    }

    /// What to do with Flink's answer once it arrived.
    public enum Disposition: Sendable {
        /// Pass it on to the caller.
        case forward
        /// Drop it: the caller sees a 502 (its connection is usually gone by then anyway).
        case drop
    }

    /// Called with the request's method and path and Flink's status, before the answer goes back.
    public typealias ResponseHook = @Sendable (_ method: String, _ path: String, _ status: Int) async -> Disposition

    public let port: Int
    private let log: ArrivalLog
    private let task: Task<Void, any Error>

    private init(port: Int, log: ArrivalLog, task: Task<Void, any Error>) {
        self.port = port
        self.log = log
        self.task = task
    }

    /// The proxy's base URL (`http://127.0.0.1:<port>`).
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Everything recorded so far.
    public var recorded: [Arrival] { log.all }

    /// Starts a proxy forwarding to `target` (e.g. `http://127.0.0.1:8081`).
    public static func start(
        forwardingTo target: String, http: CurlHTTPClient, onResponse: ResponseHook? = nil
    ) async throws -> FlinkRESTProxy {
        let log = ArrivalLog()
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("**", method: method) { request, _ -> Response in
                let arrived = ContinuousClock.now
                let body = try await request.body.collect(upTo: 512 << 20)
                let path = request.uri.description
                log.append(Arrival(time: arrived, method: method.rawValue, path: path, body: String(buffer: body)))
                var headers: HTTPTransport.HTTPHeaders = [:]
                if let type = request.headers[.contentType] { headers["Content-Type"] = type }
                let forwarded = try await http.execute(HTTPTransport.HTTPRequest(
                    method: HTTPTransport.HTTPMethod(rawValue: method.rawValue), url: target + path, headers: headers,
                    body: body.readableBytes > 0 ? .bytes(Data(buffer: body)) : .empty))
                if let onResponse, await onResponse(method.rawValue, path, forwarded.status) == .drop {
                    return Response(status: .badGateway)
                }
                return Response(
                    status: .init(code: forwarded.status),
                    headers: [.contentType: forwarded.headers["Content-Type"] ?? "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: forwarded.body)))
            }
        }
        let (port, task) = try await LoopbackHTTPServer.start(router, label: "flink-rest-proxy")
        return FlinkRESTProxy(port: port, log: log, task: task)
    }

    public func stop() {
        task.cancel()
    }
}

/// The recorded arrivals, shared between the route handlers and the caller.
private final class ArrivalLog: Sendable {
    private let arrivals = Mutex<[FlinkRESTProxy.Arrival]>([])

    var all: [FlinkRESTProxy.Arrival] { arrivals.withLock { $0 } }

    func append(_ arrival: FlinkRESTProxy.Arrival) {
        arrivals.withLock { $0.append(arrival) }
    }
}
