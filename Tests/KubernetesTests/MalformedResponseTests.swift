import Foundation
import Hummingbird
import HTTPTransport
import JSONCore
import Kubernetes
import Logging
import Synchronization
import Testing

/// Bad bytes from a server never crash the client: a raw HTTP server in the test sends them.
@Suite struct MalformedResponseTests {
    /// A client of its own (released at the end of the test, which shuts its transport down).
    private func client(port: Int) throws -> KubernetesClient {
        try KubernetesClient(
            configuration: KubernetesConfiguration(
                server: "http://127.0.0.1:\(port)", authentication: .bearer(StaticBearerToken("t"))),
            logger: Logger(label: "test"))
    }

    private static let added = #"{"type":"ADDED","object":{"apiVersion":"flink.jobcontroller.io/v1alpha1","kind":"FlinkJob","metadata":{"name":"ok","resourceVersion":"5"},"spec":{}}}"#

    @Test func aWatchLineThatIsNotJSONIsATypedErrorCarryingTheLine() async throws {
        try await RawServer.with(pieces: [Self.added + "\n", "this is <not> json\n", Self.added + "\n"]) { port, _ in
            let client = try client(port: port)
            let stream = try await client.resources(TestJob.self, namespace: "default").watch()
            var iterator = stream.makeAsyncIterator()
            #expect(try await iterator.next()?.summary == "ADDED ok")
            do {
                _ = try await iterator.next()
                Issue.record("a non-JSON line decoded")
            } catch let KubernetesError.decoding(what, snippet, underlying) {
                #expect(what.contains("watch event of FlinkJob"))
                #expect(snippet == "this is <not> json")
                #expect(underlying != nil)
            }
            // After the error the sequence is over.
            #expect(try await iterator.next() == nil)
        }
    }

    @Test func aWatchObjectThatDoesNotDecodeNamesThePath() async throws {
        let bad = #"{"type":"MODIFIED","object":{"metadata":{"name":42},"spec":{}}}"#
        try await RawServer.with(pieces: [bad + "\n"]) { port, _ in
            let client = try client(port: port)
            let stream = try await client.resources(TestJob.self, namespace: "default").watch()
            let error = await #expect(throws: KubernetesError.self) { try await stream.first(1) }
            guard case .decoding(_, let snippet, let underlying) = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect(snippet == bad)
            let description = String(describing: underlying)
            #expect(description.contains("name"))
        }
    }

    @Test func aTruncatedLastLineAndANonGoneErrorEventAreTyped() async throws {
        try await RawServer.with(pieces: [#"{"type":"ADDED","object":{"metad"#]) { port, _ in
            let client = try client(port: port)
            let stream = try await client.resources(TestJob.self, namespace: "default").watch()
            let error = await #expect(throws: KubernetesError.self) { try await stream.first(1) }
            guard case .decoding = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
        }
        let failure = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"internal","reason":"InternalError","code":500}}"#
        try await RawServer.with(pieces: [failure + "\n"]) { port, _ in
            let client = try client(port: port)
            let stream = try await client.resources(TestJob.self, namespace: "default").watch()
            let error = await #expect(throws: KubernetesError.self) { try await stream.first(1) }
            #expect(error?.apiError?.statusCode == 500)
            #expect(error?.isGone == false)
        }
    }

    @Test func aTruncatedSuccessBodyIsADecodingErrorWithContext() async throws {
        try await RawServer.with(pieces: [#"{"kind":"FlinkJob","metadata":{"name":"#]) { port, headers in
            let client = try client(port: port)
            let error = await #expect(throws: KubernetesError.self) {
                try await client.resources(TestJob.self, namespace: "default").get("x")
            }
            guard case .decoding(let what, let snippet, _) = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect(what == "FlinkJob x")
            #expect(snippet == #"{"kind":"FlinkJob","metadata":{"name":"#)
            let seen = try #require(headers.all.first)
            #expect(seen["accept"] == "application/json")
            #expect(seen["user-agent"] == KubernetesClient.defaultUserAgent)
            #expect(seen["authorization"] == "Bearer t")
            #expect(seen["path"] == "/apis/flink.jobcontroller.io/v1alpha1/namespaces/default/flinkjobs/x")
        }
    }
}

/// A plain-HTTP server that answers every GET with 200 and the given body pieces, written one after another,
/// and records the request headers.
enum RawServer {
    /// The headers of every request received (lower-case names, plus `path`).
    final class Seen: Sendable {
        private let storage = Mutex<[[String: String]]>([])
        var all: [[String: String]] { storage.withLock { $0 } }
        func append(_ headers: [String: String]) { storage.withLock { $0.append(headers) } }
    }

    static func with<T>(pieces: [String], _ body: (Int, Seen) async throws -> T) async throws -> T {
        let seen = Seen()
        let router = Router()
        router.get("**") { request, _ -> Response in
            var headers: [String: String] = ["path": request.uri.path]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            seen.append(headers)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    for piece in pieces {
                        try await writer.write(ByteBuffer(string: piece))
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    try await writer.finish(nil)
                })
        }
        var logger = Logger(label: "raw-server")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            guard let port = await ports.first(where: { _ in true }), port > 0 else {
                throw TimedOut(what: "the raw server to start")
            }
            return try await body(port, seen)
        }
    }
}
