import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// The operator's own HTTP server: `/metrics` and the health probes, on one `HOST:PORT` (`server.listen`).
///
/// Routes (GET): `/metrics` (Prometheus text format from `MetricsExposition`), `/health/live` and `/healthz`,
/// `/health/ready` and `/readyz`, `/health/startup` (JSON from `HealthState`, 200 or 503). Every other path
/// answers 404. Request bodies are never read nor logged.
///
/// A `Service`: `run()` listens until graceful shutdown (it then stops accepting connections, finishes the
/// requests in flight and returns) or cancellation. `boundPort()` tells the port once listening, which is how
/// tests use port 0. `run()` is meant to be called once.
public final class OperatorServer: Service, Sendable {
    /// The address to listen on.
    public let address: ListenAddress
    /// The health the probe endpoints report.
    public let health: HealthState
    /// The renderer behind `/metrics`.
    public let metrics: MetricsExposition
    private let logger: Logger
    private let listening = Mutex(ListeningStateMachine())
    private let nextWaiterID = Atomic<Int>(0)

    /// Makes a server for `registry` and `health`.
    ///
    /// - Parameters:
    ///   - address: where to listen (`ListenAddress(parsing: "0.0.0.0:8080")`; port 0 picks a free port).
    ///   - registry: the Prometheus registry the swift-metrics factory records into (`MetricsBootstrap`).
    ///   - health: the state the probe endpoints report.
    ///   - processMetrics: whether to register and refresh the `process_*` metrics on `registry`.
    ///   - helpTexts: `# HELP` texts for families without one (swift-metrics metrics have none).
    ///   - logger: used for the server's own start/stop messages and scrape problems.
    public init(
        address: ListenAddress,
        registry: PrometheusCollectorRegistry,
        health: HealthState,
        processMetrics: Bool = true,
        helpTexts: [String: String] = MetricsBootstrap.helpTexts,
        logger: Logger
    ) {
        self.address = address
        self.health = health
        self.logger = logger
        self.metrics = MetricsExposition(
            registry: registry,
            processMetrics: processMetrics ? ProcessMetrics(registry: registry) : nil,
            helpTexts: helpTexts,
            logger: logger)
    }

    /// Serves until graceful shutdown or cancellation.
    ///
    /// Throws `OperatorServerError.invalidListenAddress` for a port outside 0...65535 and
    /// `OperatorServerError.listenFailed` when the address cannot be bound.
    public func run() async throws {
        defer { finish() }
        guard (0...65535).contains(address.port) else {
            throw OperatorServerError.invalidListenAddress(address.description, reason: "the port must be 0...65535")
        }
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: nil, reuseAddress: true),
            onServerRunning: { [weak self] channel in
                self?.listening(on: channel.localAddress?.port ?? 0)
            },
            logger: logger)
        do {
            try await app.run()
        } catch {
            if listening.withLock({ $0.port }) == nil {
                throw OperatorServerError.listenFailed(address: address, underlying: error)
            }
            throw error
        }
    }

    /// The port the server listens on, waiting until it listens.
    ///
    /// Throws `OperatorServerError.notListening` when the server ended (or failed to bind) without listening,
    /// and `CancellationError` when the waiting task is cancelled.
    public func boundPort() async throws -> Int {
        let id = nextWaiterID.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: ListeningStateMachine.Waiter) in
                let action = listening.withLock { machine -> ListeningStateMachine.WaitAction in
                    // Checked under the lock, so a cancellation that ran before this finds the flag set here.
                    if Task.isCancelled { return .fail }
                    return machine.waitForPort(id: id, waiter)
                }
                switch action {
                case .resume(let port): waiter.resume(returning: port)
                case .fail:
                    waiter.resume(throwing: Task.isCancelled ? CancellationError() : OperatorServerError.notListening(address: address))
                case .stored: break
                }
            }
        } onCancel: {
            listening.withLock { $0.cancel(id: id) }?.resume(throwing: CancellationError())
        }
    }

    private func listening(on port: Int) {
        let waiters = listening.withLock { $0.listening(port: port) }
        logger.info("Serving metrics and health", metadata: ["server.address": "\(address)", "server.port": "\(port)"])
        for waiter in waiters { waiter.resume(returning: port) }
    }

    private func finish() {
        let waiters = listening.withLock { $0.ended() }
        for waiter in waiters { waiter.resume(throwing: OperatorServerError.notListening(address: address)) }
    }

    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let metrics = self.metrics
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = MetricsExposition.contentType
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        let health = self.health
        for probe in HealthProbe.allCases {
            for path in probe.paths {
                router.get(RouterPath(path)) { _, _ -> Response in
                    let report = health.report(for: probe)
                    var headers = HTTPFields()
                    headers[.contentType] = "application/json"
                    headers[.cacheControl] = "no-store"
                    return Response(
                        status: HTTPResponse.Status(code: report.statusCode), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: report.jsonBody())))
                }
            }
        }
        return router
    }
}
