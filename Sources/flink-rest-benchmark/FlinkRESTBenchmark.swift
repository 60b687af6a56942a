import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import Logging

/// Measures the latency of `GET /jobs/:id/status` made by `FlinkRESTClient` (one kept-alive connection) against
/// the same call made by the `curl` CLI (a new process and connection per call), in the same run, on the same
/// job.
///
/// Run the release build: `swift build -c release --product flink-rest-benchmark` and
/// `.build/release/flink-rest-benchmark` (see `BenchmarkOptions.usage`). Rounds alternate between the two
/// clients so load changes on the machine hit both alike.
@main
enum FlinkRESTBenchmark {
    /// Entry point: parses the options, runs, exits 2 on usage errors and 1 on failures.
    static func main() async {
        do {
            let options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
            try await run(options)
        } catch let error as BenchmarkError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("flink-rest-benchmark failed: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs the benchmark with a client of its own, shut down at the end.
    static func run(_ options: BenchmarkOptions) async throws {
        let curl = try CurlCommand.find()
        let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(30)))
        do {
            try await run(options, http: http, curl: curl)
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
    }

    /// Measures on the given cluster/job, or on a `bench` instance and job of its own (stopped afterwards).
    static func run(_ options: BenchmarkOptions, http: CurlHTTPClient, curl: CurlCommand) async throws {
        let logger = Logger(label: "flink-rest-benchmark")
        if let url = options.url {
            let client = try FlinkRESTClient(httpClient: http, baseURL: url, logger: logger)
            if let text = options.jobID {
                guard let jobID = FlinkJobID(text) else { throw BenchmarkError.job("not a job id: \(text)") }
                try await measure(client: client, jobID: jobID, curl: curl, options: options)
            } else {
                try await withStreamingJob(client: client) { jobID in
                    try await measure(client: client, jobID: jobID, curl: curl, options: options)
                }
            }
            return
        }

        log("starting Flink instance 'bench' (scripts/flink-session.sh)")
        let cluster = try await FlinkTestCluster.dedicated(name: "bench", slots: 2)
        do {
            let client = try FlinkRESTClient(httpClient: http, baseURL: cluster.restURL, logger: logger)
            try await withStreamingJob(client: client) { jobID in
                try await measure(client: client, jobID: jobID, curl: curl, options: options)
            }
        } catch {
            try? await cluster.stop()
            throw error
        }
        log("stopping Flink instance 'bench'")
        try await cluster.stop()
    }

    /// Uploads the test jobs, runs a slow streaming job, runs `body` while it runs, then cancels it.
    static func withStreamingJob(client: FlinkRESTClient, _ body: (FlinkJobID) async throws -> Void) async throws {
        let jobs = try await FlinkTestJobs.compiled()
        let jar = try await client.uploadJar(at: jobs.testJobsJar)
        let jobID = FlinkJobID.random()
        _ = try await client.runJar(
            jar.id,
            JarRunRequest(entryClass: FlinkTestJobs.streamingJobClass, programArguments: ["--rate", "5"], jobID: jobID)
        )
        log("submitted streaming job \(jobID)")
        do {
            try await poll("job \(jobID) running", timeout: .seconds(120)) {
                try await client.jobDetails(jobID).taskCounts.allRunning
            }
            try await body(jobID)
        } catch {
            try? await client.cancelJob(jobID)
            try? await client.deleteJar(jar.id)
            throw error
        }
        try await client.cancelJob(jobID)
        try await client.deleteJar(jar.id)
    }

    /// Alternates rounds of client calls and curl runs, then prints the table.
    static func measure(client: FlinkRESTClient, jobID: FlinkJobID, curl: CurlCommand, options: BenchmarkOptions) async throws {
        let url = "\(client.baseURL)/jobs/\(jobID)/status"
        guard try await client.jobStatus(jobID) == .running else { throw BenchmarkError.job("job \(jobID) is not RUNNING") }
        // Warm-up: the client's connection, curl's binary and libraries in the page cache, Flink's handler.
        for _ in 0..<20 { _ = try await client.jobStatus(jobID) }
        _ = try await curl.time(url: url, count: 5)

        var clientTimes: [Duration] = []
        var curlTimes: [Duration] = []
        let clock = ContinuousClock()
        for _ in 0..<options.rounds {
            for _ in 0..<options.callsPerRound {
                let started = clock.now
                let state = try await client.jobStatus(jobID)
                clientTimes.append(clock.now - started)
                if state != .running { throw BenchmarkError.job("job \(jobID) left RUNNING: \(state)") }
            }
            curlTimes += try await curl.time(url: url, count: options.callsPerRound)
        }

        let ours = LatencySummary(clientTimes)
        let theirs = LatencySummary(curlTimes)
        print("flink-rest-benchmark: GET /jobs/:id/status on Flink at \(client.baseURL), job \(jobID)")
        print("\(options.rounds) rounds x \(options.callsPerRound) calls per client, alternating; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(LatencySummary.header)
        print(ours.row("FlinkRESTClient (keep-alive)"))
        print(theirs.row("curl CLI (process per call)"))
        print(String(format: "ratio client/curl: p50 %.3f, p99 %.3f (target <= 1.0)", ours.percentile(0.5) / theirs.percentile(0.5), ours.percentile(0.99) / theirs.percentile(0.99)))
    }

    /// Progress on stderr, so stdout carries only the results.
    static func log(_ message: String) {
        FileHandle.standardError.write(Data("[flink-rest-benchmark] \(message)\n".utf8))
    }
}
