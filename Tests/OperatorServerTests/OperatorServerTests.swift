import Foundation
import HTTPTransport
import Logging
import Metrics
import OperatorServer
import Prometheus
import ServiceLifecycle
import Testing

/// The JSON body of a probe endpoint.
private struct ProbeBody: Decodable, Equatable {
    var status: String
    var checks: [String: HealthCheck]
}

@Suite("OperatorServer over HTTP")
struct OperatorServerTests {
    @Test("every endpoint answers with its status and content type")
    func everyEndpointAnswers() async throws {
        try await TestServer.with { server in
            let metrics = try await server.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
            for path in ["/health/live", "/healthz"] {
                let response = try await server.get(path)
                #expect(response.status == 200, "\(path)")
                #expect(response.headers["Content-Type"] == "application/json")
                #expect(try JSONDecoder().decode(ProbeBody.self, from: response.body) == ProbeBody(status: "ok", checks: [:]))
            }
            for path in ["/health/ready", "/readyz", "/health/startup"] {
                let response = try await server.get(path)
                #expect(response.status == 503, "\(path)")
                let body = try JSONDecoder().decode(ProbeBody.self, from: response.body)
                #expect(body.status == "unavailable")
                #expect(body.checks["startup"] == HealthCheck(ok: false, detail: "startup not complete"))
            }
        }
    }

    @Test("readiness flips from 503 to 200 when every check turns OK, and back")
    func readinessFlips() async throws {
        let health = HealthState()
        health.setReady("caches", false, detail: "waiting for the FlinkJob cache")
        health.setReady("leader-election", false, detail: "not started")
        try await TestServer.with(health: health) { server in
            for path in ["/health/ready", "/readyz"] { #expect(try await server.get(path).status == 503) }
            health.markStartupComplete()
            health.setReady("caches", true, detail: "synced")
            #expect(try await server.get("/readyz").status == 503)
            health.setReady("leader-election", true, detail: "standing by; leader is replica-a")
            for path in ["/health/ready", "/readyz"] {
                let response = try await server.get(path)
                #expect(response.status == 200)
                let body = try JSONDecoder().decode(ProbeBody.self, from: response.body)
                #expect(body.status == "ok")
                #expect(body.checks["leader-election"] == HealthCheck(ok: true, detail: "standing by; leader is replica-a"))
                #expect(body.checks["caches"]?.ok == true)
            }
            health.setReady("caches", false, detail: "relisting after 410")
            #expect(try await server.get("/health/ready").status == 503)
            // Liveness does not depend on readiness.
            #expect(try await server.get("/healthz").status == 200)
        }
    }

    @Test("startup flips from 503 to 200 and stays there; liveness fails only on a liveness check")
    func startupAndLivenessFlip() async throws {
        let health = HealthState()
        try await TestServer.with(health: health) { server in
            #expect(try await server.get("/health/startup").status == 503)
            health.markStartupComplete(detail: "caches synced once")
            let response = try await server.get("/health/startup")
            #expect(response.status == 200)
            #expect(
                try JSONDecoder().decode(ProbeBody.self, from: response.body)
                    == ProbeBody(status: "ok", checks: ["startup": HealthCheck(ok: true, detail: "caches synced once")]))
            health.setLive("event-loop", false, detail: "blocked")
            #expect(try await server.get("/health/live").status == 503)
            #expect(try await server.get("/healthz").status == 503)
            #expect(try await server.get("/health/startup").status == 200)
        }
    }

    @Test("unknown paths answer 404", arguments: ["/", "/metricsx", "/health", "/health/live/extra", "/debug/pprof", "/ready"])
    func unknownPaths(path: String) async throws {
        try await TestServer.with { server in
            let response = try await server.get(path)
            #expect(response.status == 404)
        }
    }

    @Test("/metrics serves the exact expected exposition text for metrics made through swift-metrics")
    func exactMetricsOverHTTP() async throws {
        let registry = PrometheusCollectorRegistry()
        SampleMetrics.record(into: registry)
        try await TestServer.with(registry: registry, helpTexts: SampleMetrics.helpTexts) { server in
            let response = try await server.get("/metrics")
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == SampleMetrics.expectedText)
        }
    }

    @Test("process metrics are present, plausible and refreshed on every scrape")
    func processMetricsOverHTTP() async throws {
        try await TestServer.with(processMetrics: true) { server in
            let first = try Self.samples(try await server.get("/metrics"))
            let rss = try #require(first["process_resident_memory_bytes"])
            let cpu = try #require(first["process_cpu_seconds_total"])
            let start = try #require(first["process_start_time_seconds"])
            #expect(rss > 1_000_000)
            #expect(try #require(first["process_virtual_memory_bytes"]) >= rss)
            #expect(cpu >= 0)
            #expect(try #require(first["process_open_fds"]) >= 3)
            let now = Date().timeIntervalSince1970
            #expect(start <= now + 1 && start > now - 86_400)

            // Burn CPU for a while; the next scrape must see it without any refresh timer.
            var x: UInt64 = 1
            let begin = ContinuousClock.now
            while ContinuousClock.now - begin < .milliseconds(300) {
                for i in 0..<10_000 { x = x &* 6364136223846793005 &+ UInt64(i) }
            }
            #expect(x != 0)
            let second = try Self.samples(try await server.get("/metrics"))
            #expect(try #require(second["process_cpu_seconds_total"]) > cpu)
            #expect(second["process_start_time_seconds"] == start)
        }
    }

    @Test("the full /metrics output passes promtool check metrics")
    func promtoolAcceptsMetrics() async throws {
        let registry = PrometheusCollectorRegistry()
        SampleMetrics.record(into: registry)
        let factory = MetricsBootstrap.makeFactory(registry: registry)
        // Metrics without a catalogue entry still get a HELP line.
        Counter(label: "uncatalogued_things_total", dimensions: [("kind", "a \"quoted\" \\ value\nwith newline")], factory: factory)
            .increment()
        Gauge(label: "flink_job_backpressure_ratio",
              dimensions: [("namespace", "ns"), ("name", "job"), ("alert_on_backpressure", "false")], factory: factory)
            .record(0.25)
        try await TestServer.with(registry: registry, processMetrics: true) { server in
            let response = try await server.get("/metrics")
            #expect(response.status == 200)
            let result = try await Promtool.checkMetrics(response.body)
            #expect(result.status == 0, "promtool: \(result.output)\n\(String(decoding: response.body, as: UTF8.self))")
            #expect(!result.output.contains("no help text"))
        }
    }

    @Test("promtool really checks: it rejects a counter without _total and a family without HELP")
    func promtoolRejectsBadText() async throws {
        let result = try await Promtool.checkMetrics(Data("# TYPE foo counter\nfoo 1\n".utf8))
        #expect(result.status != 0)
        #expect(result.output.contains("no help text"))
        let version = try await Promtool.version()
        #expect(version.hasPrefix("promtool, version "))
    }

    @Test("concurrent scrapes all succeed with the same families")
    func concurrentScrapes() async throws {
        let registry = PrometheusCollectorRegistry()
        SampleMetrics.record(into: registry)
        try await TestServer.with(registry: registry, processMetrics: true) { server in
            let families = try await withThrowingTaskGroup(of: Set<String>.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let response = try await server.get("/metrics")
                        guard response.status == 200 else { return [] }
                        return Set(String(decoding: response.body, as: UTF8.self).split(separator: "\n")
                            .filter { $0.hasPrefix("# TYPE ") }.map(String.init))
                    }
                }
                var all: [Set<String>] = []
                for try await set in group { all.append(set) }
                return all
            }
            #expect(families.count == 16)
            #expect(Set(families).count == 1)
            #expect(families.first?.contains("# TYPE process_cpu_seconds_total counter") == true)
            #expect(families.first?.contains("# TYPE flink_job_deployment_duration_seconds histogram") == true)
        }
    }

    @Test("graceful shutdown stops the server and closes the port")
    func gracefulShutdownStops() async throws {
        let server = OperatorServer(
            address: ListenAddress(host: "127.0.0.1", port: 0), registry: PrometheusCollectorRegistry(),
            health: HealthState(), logger: TestServer.quietLogger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: TestServer.quietLogger))
        let client = try CurlHTTPClient()
        let port = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            #expect(try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz")).status == 200)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return port
        }
        await #expect(throws: (any Error).self) {
            _ = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz", timeout: .seconds(5)))
        }
        await client.shutdown()
        // The server ended; asking for its port now fails instead of waiting forever.
        await #expect(throws: OperatorServerError.self) { _ = try await server.boundPort() }
    }

    @Test("a port that is taken fails run with listenFailed and boundPort with notListening")
    func portTaken() async throws {
        try await TestServer.with { running in
            let port = try await running.server.boundPort()
            let second = OperatorServer(
                address: ListenAddress(host: "127.0.0.1", port: port), registry: PrometheusCollectorRegistry(),
                health: HealthState(), logger: TestServer.quietLogger)
            let waiting = Task { try await second.boundPort() }
            await #expect {
                try await second.run()
            } throws: { error in
                guard case OperatorServerError.listenFailed(let address, _) = error else { return false }
                return address.port == port
            }
            await #expect {
                _ = try await waiting.value
            } throws: { error in
                if case OperatorServerError.notListening = error { return true }
                return false
            }
        }
    }

    @Test("a task waiting for the bound port can be cancelled")
    func boundPortWaitIsCancellable() async throws {
        let server = OperatorServer(
            address: ListenAddress(host: "127.0.0.1", port: 0), registry: PrometheusCollectorRegistry(),
            health: HealthState(), logger: TestServer.quietLogger)
        let waiter = Task { try await server.boundPort() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
    }

    /// The unlabeled samples of an exposition, by name.
    private static func samples(_ response: HTTPResponse) throws -> [String: Double] {
        try #require(response.status == 200)
        var values: [String: Double] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, !parts[0].contains("{"), let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }
}
