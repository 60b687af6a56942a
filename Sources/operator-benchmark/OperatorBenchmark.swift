import ArgumentParser
import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import Kubernetes
import KubernetesEmulator
import Logging

/// `swift run -c release operator-benchmark`: what it costs to go through the operator.
///
/// 1. **Deploy time ratio.** The same streaming test job is deployed `--rounds` times by raw REST calls (upload,
///    run, poll until every task runs) and by the operator (create the FlinkJob, poll Flink until every task runs),
///    on the same Flink cluster, alternating. The ratio of the medians is what the operator adds.
/// 2. **Watch event → first Flink request.** `--samples` FlinkJobs are created one after the other against a
///    FlinkSessionCluster whose REST URL is a recording proxy; the latency is from the create call's return to
///    the arrival of the operator's submission for that job at the proxy.
@main
struct OperatorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator-benchmark",
        abstract: "Benchmarks of the operator binary (figures, not tests).",
        subcommands: [DeployBenchmark.self, MemoryBenchmark.self],
        defaultSubcommand: DeployBenchmark.self)
}

/// Resolves the operator binary for a benchmark.
func operatorBinary(_ explicit: String?, root: URL) throws -> String {
    let binary = explicit ?? ProcessInfo.processInfo.environment["FJC_OPERATOR_BINARY"]
        ?? root.appendingPathComponent(".build/release/flink-job-controller").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        throw OperatorBenchmarkError.step("no operator binary at \(binary); run `swift build -c release --product flink-job-controller`")
    }
    return binary
}

/// `operator-benchmark deploy` (the default).
struct DeployBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy time via the operator vs raw REST, and watch-event to first Flink request latency (real Flink).")

    @Option(help: "Deploy rounds per method.") var rounds = 8
    @Option(help: "Latency samples.") var samples = 40
    @Option(help: "The operator binary (default: $FJC_OPERATOR_BINARY, else .build/release/flink-job-controller).")
    var binary: String?

    mutating func run() async throws {
        let root = try FlinkTestCluster.repositoryRoot()
        let binary = try operatorBinary(self.binary, root: root)
        print("Starting a dedicated Flink session cluster 'bench' …")
        let flink = try await FlinkTestCluster.dedicated(name: "bench", slots: 8)
        let jobs = try await FlinkTestJobs.compiled()
        let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(120)))
        let rest = try FlinkRESTClient(httpClient: http, baseURL: flink.restURL, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let proxy = try await FlinkRESTProxy.start(forwardingTo: flink.restURL, http: http)
        let world = try await BenchWorld.start(
            clusters: [("direct", flink.restURL), ("proxied", "http://127.0.0.1:\(proxy.port)")], binary: binary, root: root)
        defer { proxy.stop() }
        do {
            try await measureDeploys(world: world, rest: rest, jar: jobs.testJobsJar)
            try await measureLatency(world: world, proxy: proxy, rest: rest)
        } catch {
            print("operator log tail:\n\(world.operatorLogTail())")
            await world.stop()
            try? await flink.stop()
            throw error
        }
        await world.stop()
        try? await flink.stop()
        await http.shutdown()
    }

    func measureDeploys(world: BenchWorld, rest: FlinkRESTClient, jar: String) async throws {
        print("Deploy time: raw REST (upload + run + poll) vs operator (create FlinkJob + poll), \(rounds) rounds each, alternating")
        // Warm up both paths once (first job on the cluster, the operator's first upload).
        _ = try await rawDeploy(rest: rest, jar: jar)
        _ = try await world.operatorDeploy(name: "warmup", rest: rest)
        var raw: [Double] = []
        var viaOperator: [Double] = []
        for round in 1...rounds {
            raw.append(try await rawDeploy(rest: rest, jar: jar))
            viaOperator.append(try await world.operatorDeploy(name: "round-\(round)", rest: rest))
            print(String(format: "  round %2d: raw %.3f s, operator %.3f s", round, raw.last ?? 0, viaOperator.last ?? 0))
        }
        let rawMedian = Stats.percentile(raw, 50)
        let operatorMedian = Stats.percentile(viaOperator, 50)
        print(String(format: "  raw REST   median %.3f s (min %.3f, max %.3f)", rawMedian, raw.min() ?? 0, raw.max() ?? 0))
        print(String(format: "  operator   median %.3f s (min %.3f, max %.3f)", operatorMedian, viaOperator.min() ?? 0, viaOperator.max() ?? 0))
        print(String(format: "  ratio operator / raw (medians): %.3f  (goal ≤ 1.05)", operatorMedian / rawMedian))
    }

    /// Upload, run, poll until every task runs; then cancel and delete the jar.
    func rawDeploy(rest: FlinkRESTClient, jar: String) async throws -> Double {
        let start = ContinuousClock.now
        let uploaded = try await rest.uploadJar(at: jar)
        let id = FlinkJobID.random()
        _ = try await rest.runJar(uploaded.id, JarRunRequest(
            entryClass: FlinkTestJobs.streamingJobClass, programArguments: ["--rate", "5", "--checkpoint-interval", "1000"],
            parallelism: 1, jobID: id))
        try await Stats.waitAllRunning(rest: rest, id: id)
        let elapsed = start.duration(to: .now).seconds
        try await rest.cancelJob(id)
        try await rest.deleteJar(uploaded.id)
        return elapsed
    }

    func measureLatency(world: BenchWorld, proxy: FlinkRESTProxy, rest: FlinkRESTClient) async throws {
        print("Watch event → first Flink request: \(samples) FlinkJobs created one after another")
        var latencies: [Double] = []
        for sample in 1...samples {
            let (created, uid) = try await world.createProxied(name: "latency-\(sample)")
            let jobID = DeploymentIdentity.jobID(uid: uid, sequence: 1)
            let arrival = try await poll("the submission of sample \(sample) at the proxy", timeout: .seconds(30), interval: .milliseconds(5)) {
                proxy.recorded.first { $0.time > created && $0.method == "POST" && $0.path.hasSuffix("/run") && $0.body.contains(jobID) }
            }
            latencies.append(created.duration(to: arrival.time).seconds * 1000)
            try await world.delete(name: "latency-\(sample)")
            if let id = FlinkJobID(jobID) { try? await rest.cancelJob(id) }
        }
        print(String(format: "  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms  (goal p99 ≤ 20 ms)",
                     Stats.percentile(latencies, 50), Stats.percentile(latencies, 90), Stats.percentile(latencies, 99),
                     latencies.max() ?? 0))
    }
}

enum OperatorBenchmarkError: Error, CustomStringConvertible {
    case step(String)
    var description: String {
        switch self {
        case .step(let message): message
        }
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

enum Stats {
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded(.up))
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// Polls the job until Flink reports every task running (status, then details for the task counts).
    static func waitAllRunning(rest: FlinkRESTClient, id: FlinkJobID) async throws {
        try await poll("job \(id) running", timeout: .seconds(60), interval: .milliseconds(20), retryErrors: true) {
            guard try await rest.jobStatus(id) == .running else { return false }
            return try await rest.jobDetails(id).taskCounts.allRunning
        }
    }
}

/// `operator-benchmark memory`: the operator's RSS idle and with many FlinkJobs, against a Flink REST stand-in
/// (a real local cluster cannot host that many jobs).
struct MemoryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "Operator RSS idle and with --jobs FlinkJobs (Flink REST stand-in).")

    @Option(help: "FlinkJobs to create.") var jobs = 1000
    @Option(help: "The operator binary (default: $FJC_OPERATOR_BINARY, else .build/release/flink-job-controller).")
    var binary: String?

    mutating func run() async throws {
        let root = try FlinkTestCluster.repositoryRoot()
        let binary = try operatorBinary(self.binary, root: root)
        let standIn = try await FlinkStandIn.start(fixtures: root.appendingPathComponent("Tests/FlinkRESTTests/Fixtures"))
        defer { standIn.stop() }
        let world = try await BenchWorld.start(
            clusters: [("standin", "http://127.0.0.1:\(standIn.port)")], binary: binary, root: root, logLevel: "warning")
        do {
            try await Task.sleep(for: .seconds(5))
            let idle = world.operatorRSS ?? 0
            print(String(format: "operator RSS idle (1 FlinkSessionCluster, no FlinkJobs): %.1f MiB", Double(idle) / 1_048_576))
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in stride(from: 0, to: jobs, by: 50) {
                    for index in batch..<min(batch + 50, jobs) {
                        group.addTask {
                            var job = world.job(String(format: "job-%04d", index), cluster: "standin")
                            job.spec.checkpointing = .init(interval: "60s")
                            _ = try await world.jobs.create(job)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            print(String(format: "created %d FlinkJobs in %.1f s", jobs, start.duration(to: .now).seconds))
            let jobCount = jobs
            try await poll("all \(jobCount) FlinkJobs Running", timeout: .seconds(900), interval: .seconds(2)) {
                let listed = try await world.jobs.listAll()
                return listed.items.filter { $0.status?.state == .running }.count == jobCount
            }
            let settled = start.duration(to: .now).seconds
            print(String(format: "all %d FlinkJobs Running after %.1f s", jobs, settled))
            var peak = 0
            for _ in 0..<15 {
                peak = max(peak, world.operatorRSS ?? 0)
                try await Task.sleep(for: .seconds(2))
            }
            let steady = world.operatorRSS ?? 0
            print(String(format: "operator RSS with %d FlinkJobs: %.1f MiB steady, %.1f MiB peak over 30 s", jobs,
                         Double(steady) / 1_048_576, Double(peak) / 1_048_576))
            print(String(format: "operator CPU time so far: %.1f s", world.operatorCPUSeconds ?? 0))
        } catch {
            print("operator log tail:\n\(world.operatorLogTail())")
            await world.stop()
            throw error
        }
        await world.stop()
    }
}
