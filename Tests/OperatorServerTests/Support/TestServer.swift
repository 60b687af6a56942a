import Foundation
import HTTPTransport
import Logging
import OperatorServer
import Prometheus
import ServiceLifecycle

/// A running `OperatorServer` on 127.0.0.1 with a free port, and a real libcurl client to talk to it.
struct TestServer {
    /// The server under test.
    let server: OperatorServer
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    /// The libcurl client.
    let client: CurlHTTPClient

    /// GETs `path` and returns the whole response.
    func get(_ path: String) async throws -> HTTPResponse {
        try await client.execute(HTTPRequest(method: .get, url: baseURL + path, timeout: .seconds(10)))
    }

    /// A logger that keeps test output quiet.
    static var quietLogger: Logger {
        var logger = Logger(label: "operator-server-tests")
        logger.logLevel = .warning
        return logger
    }

    /// Starts a server in a `ServiceGroup`, runs `body` against it, then shuts the group down gracefully and
    /// waits until the server has stopped — also when `body` throws.
    static func with<T: Sendable>(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        health: HealthState = HealthState(),
        processMetrics: Bool = false,
        helpTexts: [String: String] = MetricsBootstrap.helpTexts,
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        let server = OperatorServer(
            address: ListenAddress(host: "127.0.0.1", port: 0), registry: registry, health: health,
            processMetrics: processMetrics, helpTexts: helpTexts, logger: quietLogger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: quietLogger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<T, any Error>
            do {
                let port = try await server.boundPort()
                let client = try CurlHTTPClient()
                do {
                    outcome = .success(try await body(TestServer(server: server, baseURL: "http://127.0.0.1:\(port)", client: client)))
                } catch {
                    outcome = .failure(error)
                }
                await client.shutdown()
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try outcome.get()
        }
    }
}
