import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// The HTTPS front end: a Hummingbird server on 127.0.0.1 that hands every request to the pipeline and streams
/// watches. It can stop listening and come back on the same port (for "API server unreachable" tests).
final class EmulatorHTTPServer: Sendable {
    private struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        /// The pipeline.
        let pipeline: RequestPipeline

        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: pipeline.api.settings.maxRequestBodyBytes + 1)
            } catch {
                return Self.response(pipeline.api.render(.requestEntityTooLarge(limit: pipeline.api.settings.maxRequestBodyBytes)))
            }
            let incoming = RequestPipeline.Incoming(
                method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
                authorization: request.headers[.authorization], contentType: request.headers[.contentType],
                userAgent: request.headers[.userAgent], accept: request.headers[.accept], body: Data(buffer: body))
            switch await pipeline.process(incoming) {
            case .response(let r):
                return Self.response(r)
            case .watch(let plan):
                var headers = HTTPFields()
                headers[.contentType] = plan.table.map { "application/json;as=Table;v=\($0.version);g=meta.k8s.io" } ?? "application/json"
                let api = pipeline.api
                return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                    await api.runWatch(plan) { data in try await writer.write(ByteBuffer(bytes: data)) }
                    try await writer.finish(nil)
                })
            }
        }

        static func response(_ r: APIResponse) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = r.contentType
            for w in r.warnings {
                if let name = HTTPField.Name("Warning") {
                    headers.append(HTTPField(name: name, value: "299 - " + GoJSONWriter.goQuote(w)))
                }
            }
            for (name, value) in r.headers {
                if let n = HTTPField.Name(name) { headers.append(HTTPField(name: n, value: value)) }
            }
            return Response(status: .init(code: r.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
        }
    }

    private let pipeline: RequestPipeline
    private let tls: NIOSSL.TLSConfiguration
    private struct Running {
        var task: Task<Void, any Error>?
        var port: Int
        /// Tells when the server task has ended.
        var finished: FinishFlag?
    }
    private let running = Mutex(Running(task: nil, port: 0))

    init(pipeline: RequestPipeline, certificatePEM: String, privateKeyPEM: String) throws {
        self.pipeline = pipeline
        do {
            let certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
            let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
            tls = NIOSSL.TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        } catch {
            throw EmulatorError.startFailed("TLS setup: \(error)")
        }
    }

    /// The bound port (0 before the first start).
    var port: Int { running.withLock { $0.port } }

    /// Starts listening on 127.0.0.1 (`port` 0 picks a free one) and returns the bound port.
    func start(port: Int) async throws -> Int {
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "kubernetes-emulator")
        logger.logLevel = .critical
        let app = Application(
            responder: Responder(pipeline: pipeline),
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let finished = FinishFlag()
        let task = Task {
            defer {
                portContinuation.finish()
                finished.set()
            }
            try await app.run()
        }
        var bound = 0
        for await p in portStream { bound = p }
        guard bound != 0 else {
            task.cancel()
            let error: (any Error)? = await { () async -> (any Error)? in
                do { try await task.value; return nil } catch { return error }
            }()
            throw EmulatorError.startFailed("could not listen on 127.0.0.1:\(port): \(error.map { "\($0)" } ?? "server ended")")
        }
        running.withLock { $0 = Running(task: task, port: bound, finished: finished) }
        return bound
    }

    /// Stops listening and closes every open connection (watches included).
    ///
    /// The listening socket closes at once; connection handlers that outlive cancellation (an idle keep-alive
    /// connection can take seconds) are waited for at most one second, then left to finish in the background.
    func stop() async {
        let (task, finished) = running.withLock { r -> (Task<Void, any Error>?, FinishFlag?) in
            defer {
                r.task = nil
                r.finished = nil
            }
            return (r.task, r.finished)
        }
        guard let task else { return }
        task.cancel()
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline, finished?.isSet == false {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A flag set once, readable from any task.
private final class FinishFlag: Sendable {
    private let value = Mutex(false)
    /// Whether `set()` was called.
    var isSet: Bool { value.withLock { $0 } }
    /// Sets the flag.
    func set() { value.withLock { $0 = true } }
}
