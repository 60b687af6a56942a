import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A small HTTP server for artifact-download tests: serves fixed files by path, answers `/redirect?to=URL` with a
/// 302 to that URL, and records every path requested. It listens on a loopback address of the caller's choice
/// (`127.0.0.2` keeps it apart from an API server emulator on `127.0.0.1` when a test checks the egress policy).
public final class ArtifactServer: Sendable {
    public let host: String
    public let port: Int
    private let requests: RequestLog
    private let task: Task<Void, any Error>

    private init(host: String, port: Int, requests: RequestLog, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.requests = requests
        self.task = task
    }

    /// The base URL, e.g. `http://127.0.0.2:40123`.
    public var url: String { "http://\(host):\(port)" }

    /// Every path (with query) requested so far.
    public var requested: [String] { requests.all }

    /// Starts serving `files` (path → bytes, e.g. `"/job.jar"`).
    public static func start(host: String = "127.0.0.1", files: [String: Data]) async throws -> ArtifactServer {
        let shared = RequestLog()
        let router = Router()
        router.get("**") { request, _ -> Response in
            let path = request.uri.path
            shared.append(request.uri.description)
            if path == "/redirect", let target = request.uri.queryParameters.get("to") {
                return Response(status: .found, headers: [.location: target])
            }
            guard let bytes = files[path] else { return Response(status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let (port, task) = try await LoopbackHTTPServer.start(router, host: host, label: "artifact-server")
        return ArtifactServer(host: host, port: port, requests: shared, task: task)
    }

    public func stop() {
        task.cancel()
    }
}

/// The request log shared with the route handler.
private final class RequestLog: Sendable {
    private let log = Mutex<[String]>([])
    var all: [String] { log.withLock { $0 } }
    func append(_ path: String) { log.withLock { $0.append(path) } }
}
