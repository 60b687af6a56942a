import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Testing

/// What a platform team operates: metrics, health probes, logs, graceful shutdown with the Lease released.
@Suite(.serialized) struct OperationsEndToEndTests {
    @Test func metricsHealthLogsAndGracefulShutdownWithTheLeaseReleased() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let op = try OperatorUnderTest.start(environment, leaderElection: true)
        let name = EndToEndEnvironment.uniqueName("observed")
        defer { Task { await environment.cancelFlinkJobs(named: name) } }
        let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(10)))
        do {
            var job = environment.streamingJob(name)
            job.metadata.labels = ["flink.jobcontroller.io/alert-on-failure": "true"]
            _ = try await environment.jobs.create(job)
            _ = try await environment.waitUntilReady(name)
            let base = "http://127.0.0.1:\(op.listenPort)"

            // Health probes.
            for path in ["/health/live", "/health/ready", "/health/startup", "/healthz", "/readyz"] {
                let status = try await poll("\(path) to answer 200", timeout: .seconds(20)) {
                    try await http.execute(HTTPRequest(url: base + path)).status == 200 ? 200 : nil
                }
                #expect(status == 200)
            }
            #expect(try await http.execute(HTTPRequest(url: base + "/nope")).status == 404)

            // Metrics: the seed names and the controller-runtime style ones, with values that make sense.
            // The per-job series appear once the status carries what Flink reported (restarts, checkpoints).
            let text = try await poll("metrics with the job counted as active and its per-job series", timeout: .seconds(30)) { () -> String? in
                let body = String(decoding: try await http.execute(HTTPRequest(url: base + "/metrics")).body, as: UTF8.self)
                let perJob = ["flink_job_restarts", "flink_job_checkpoint_age_seconds"].allSatisfy { series in
                    body.range(of: "\(series)\\{[^}]*name=\"\(name)\"", options: .regularExpression) != nil
                }
                return body.contains("flink_active_jobs{job_type=\"streaming\"} 1") && perJob ? body : nil
            }
            let samples = PrometheusSample.parse(text)
            func expectSample(_ name: String, _ labels: [String: String] = [:], _ value: ((Double) -> Bool)? = nil) {
                let found = samples.filter { sample in
                    sample.name == name && labels.allSatisfy { key, wanted in sample.labels[key] == wanted }
                }
                #expect(!found.isEmpty, "missing in /metrics: \(name)\(labels)")
                if let value, let first = found.first { #expect(value(first.value), "\(name)\(labels) = \(first.value)") }
            }
            expectSample("flink_job_deployments_total", ["status": "success", "job_type": "streaming"]) { $0 == 1 }
            expectSample("flink_job_deployments_total", ["status": "failure", "job_type": "batch"]) { $0 == 0 }
            expectSample("flink_job_deployment_duration_seconds_bucket", ["job_type": "streaming", "le": "+Inf"]) { $0 == 1 }
            expectSample("flink_active_jobs", ["job_type": "streaming"]) { $0 == 1 }
            expectSample("flink_reconciliation_errors_total")
            expectSample("flink_cluster_health_status", ["cluster": "default"]) { $0 == 1 }
            expectSample("flink_cluster_circuit_breaker_state", ["cluster": "default", "state": "closed"]) { $0 == 1 }
            expectSample("flink_job_ready", ["namespace": "team-a", "name": name, "alert_on_failure": "true"]) { $0 == 1 }
            expectSample("flink_job_checkpoint_age_seconds", ["namespace": "team-a", "name": name]) { $0 >= 0 && $0 < 60 }
            expectSample("flink_job_restarts", ["namespace": "team-a", "name": name]) { $0 == 0 }
            expectSample("controller_runtime_reconcile_total", ["controller": "flinkjob", "result": "terminal_error"]) { $0 == 0 }
            expectSample("controller_runtime_reconcile_total", ["controller": "flinkjob", "result": "requeue_after"]) { $0 > 0 }
            expectSample("workqueue_depth", ["name": "flinkjob"])
            expectSample("leader_election_master_status") { $0 == 1 }
            expectSample("kubernetes_client_requests_total", ["verb": "GET", "code": "200"]) { $0 > 0 }
            expectSample("flink_client_requests_total", ["method": "GET", "code": "200"]) { $0 > 0 }
            expectSample("process_resident_memory_bytes") { $0 > 1_000_000 }
            expectSample("process_cpu_seconds_total") { $0 > 0 }
            let promtool = try Promtool.check(text)
            #expect(promtool.status == 0, "promtool check metrics: \(promtool.output)")

            // Logs: JSON lines with the reconcile id and the job's identity; the API token never appears.
            let lines = op.logs.split(separator: "\n")
            #expect(lines.allSatisfy { (try? JSONValue(parsing: Data($0.utf8))) != nil }, "every log line is a JSON object")
            #expect(op.logs.contains("\"reconcile.id\""))
            #expect(op.logs.contains("\"flinkjob.name\":\"\(name)\""))
            #expect(op.logs.contains("\"flink.job_id\""))
            #expect(!op.logs.contains(OperatorIdentity.token), "the bearer token must never be logged")

            // SIGTERM in the middle of a reconcile: the reconcile finishes, the Lease is released, exit 0.
            environment.emulator.addLatency(LatencyRule(
                matching: RequestMatcher(method: "PUT", path: .regex("/flinkjobs/[^/]+/status$")), delay: .seconds(2), count: 1))
            try await environment.editSpec(name) { $0.args = ["--rate", "9", "--checkpoint-interval", "500"] }
            // The first status PUT of the upgrade (the pending savepoint) is held 2 s by the emulator.
            try await poll("the upgrade reconcile in flight", timeout: .seconds(20)) {
                op.logs.contains("\"plan.action\":\"stop-with-savepoint\"")
            }
            #expect(try await op.terminate() == 0)
            #expect(op.logs.contains("Released the leader lease"))
            let lease = try #require(environment.emulator.object(
                GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases"),
                namespace: EndToEndEnvironment.operatorNamespace, name: "flink-job-controller"))
            let holder = lease[path: ["spec", "holderIdentity"]]?.stringValue ?? ""
            #expect(holder.isEmpty, "the lease is released on graceful shutdown, held by \(holder)")
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await http.shutdown()
            await environment.stop()
            throw error
        }
        await http.shutdown()
        await environment.stop()
    }
}

extension OperationsEndToEndTests {
    @Test func logLevelFollowsTheConfigFileWhileRunning() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let config = environment.directory.appendingPathComponent("config.yaml")
        try "log:\n  level: warning\n".write(to: config, atomically: true, encoding: .utf8)
        let op = try OperatorUnderTest.start(environment, arguments: ["--config", config.path], logLevel: nil)
        do {
            try await Task.sleep(for: .seconds(3))
            #expect(!op.logs.contains("\"level\":\"debug\""), "warning level logs no debug lines")
            try "log:\n  level: debug\n".write(to: config, atomically: true, encoding: .utf8)
            try await poll("debug lines after the config file changed", timeout: .seconds(40)) {
                op.logs.contains("\"level\":\"debug\"")
            }
            #expect(op.logs.contains("Log level changed by the config file"))
            #expect(try await op.terminate() == 0)
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        await environment.stop()
    }
}

/// Prometheus' own `promtool check metrics`, an independent check of the exposition format.
enum Promtool {
    static func check(_ exposition: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 { Issue.record("promtool is not installed (scripts/install-deps.sh installs it)") }
        return (process.terminationStatus, text)
    }
}

/// One sample line of the Prometheus text format.
struct PrometheusSample {
    var name: String
    var labels: [String: String]
    var value: Double

    /// The samples of an exposition (comments skipped; label values without escapes, as the operator writes them).
    static func parse(_ text: String) -> [PrometheusSample] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                return PrometheusSample(name: String(series), labels: [:], value: value)
            }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { labels[String(parts[0])] = String(String(parts[1]).dropFirst().dropLast()) }
            }
            return PrometheusSample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }
}
