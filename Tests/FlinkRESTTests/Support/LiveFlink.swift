import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// A real test cluster with a REST client and the test jobs jar uploaded, for the integration tests.
struct LiveFlink: Sendable {
    /// One submission gate per cluster URL, shared by every test in the process.
    private static let gates = SubmissionGates()

    let cluster: FlinkTestCluster
    let client: FlinkRESTClient
    let jobs: FlinkTestJobs
    /// Id of `testjobs.jar` (all test classes) uploaded to this cluster, shared by the tests of this process.
    let jarID: String

    /// The shared default-scheduler cluster.
    static func shared() async throws -> LiveFlink {
        try await make(FlinkTestCluster.shared())
    }

    /// The shared adaptive-scheduler cluster.
    static func adaptive() async throws -> LiveFlink {
        try await make(FlinkTestCluster.sharedAdaptive())
    }

    static func make(_ cluster: FlinkTestCluster) async throws -> LiveFlink {
        let jobs = try await FlinkTestJobs.compiled()
        let client = try cluster.restClient()
        let jarID = try await UploadedJars.shared.jarID(key: cluster.restURL + "|testjobs") {
            try await client.uploadJar(at: jobs.testJobsJar).id
        }
        return LiveFlink(cluster: cluster, client: client, jobs: jobs, jarID: jarID)
    }

    /// A `StreamingJob` run request with a small rate (tests share slots and two cores).
    func streamingRequest(
        jobID: FlinkJobID,
        parallelism: Int = 1,
        arguments: [String] = [],
        savepointPath: String? = nil,
        configuration: [String: String]? = nil
    ) -> JarRunRequest {
        JarRunRequest(
            entryClass: FlinkTestJobs.streamingJobClass,
            programArguments: ["--rate", "5"] + arguments,
            parallelism: parallelism,
            jobID: jobID,
            savepointPath: savepointPath,
            flinkConfiguration: configuration
        )
    }

    /// Runs a jar (the test jobs jar unless `jarID` is given) through this cluster's `SubmissionGate`;
    /// `exclusive` for PyFlink programs.
    func run(_ request: JarRunRequest, jarID: String? = nil, exclusive: Bool = false) async throws -> FlinkJobID {
        let gate = await Self.gates.gate(for: cluster.restURL)
        let client = self.client
        let jar = jarID ?? self.jarID
        return try await gate.withPermit(exclusive: exclusive) {
            try await client.runJar(jar, request)
        }
    }

    /// Runs `request` (which must carry a job id), runs `body` with the job id, then cancels the job whatever
    /// happened, so parallel tests never run out of slots.
    func withJob<Value>(
        _ request: JarRunRequest,
        jarID: String? = nil,
        exclusive: Bool = false,
        _ body: (FlinkJobID) async throws -> Value
    ) async throws -> Value {
        let requested = try #require(request.jobID, "test jobs are submitted under a chosen id")
        return try await withCleanup {
            let id = try await run(request, jarID: jarID, exclusive: exclusive)
            #expect(id == requested)
            return try await body(id)
        } cleanup: {
            try? await client.cancelJob(requested)
        }
    }

    /// Waits until the job is RUNNING with every task running, and returns its details.
    @discardableResult
    func awaitAllTasksRunning(_ jobID: FlinkJobID, timeout: Duration = .seconds(90)) async throws -> JobDetails {
        try await poll("job \(jobID) RUNNING with all tasks running", timeout: timeout) {
            let details = try await client.jobDetails(jobID)
            #expect(!details.state.isGloballyTerminal, "job \(jobID) ended: \(details.state)")
            if details.state.isGloballyTerminal { throw FlinkRESTError.unexpectedResponse(status: 200, snippet: "job ended") }
            return details.state == .running && details.taskCounts.allRunning ? details : nil
        }
    }

    /// Waits until `/jobs/:id/status` reports `state`.
    func awaitState(_ jobID: FlinkJobID, _ state: FlinkJobState, timeout: Duration = .seconds(90)) async throws {
        try await poll("job \(jobID) \(state)", timeout: timeout) {
            try await client.jobStatus(jobID) == state
        }
    }

    /// Waits until the job completed at least one checkpoint, and returns the statistics.
    func awaitCompletedCheckpoint(_ jobID: FlinkJobID, timeout: Duration = .seconds(60)) async throws
        -> CheckpointStatistics
    {
        try await poll("a completed checkpoint of job \(jobID)", timeout: timeout) {
            guard let statistics = try await client.checkpointStatistics(jobID) else { return nil }
            return statistics.latest.completed == nil ? nil : statistics
        }
    }

    /// The local directory of a `file:` savepoint or checkpoint location.
    static func localPath(of location: String) -> String {
        guard let url = URL(string: location), url.scheme == "file" else { return location }
        return url.path
    }
}

/// Jars uploaded once per test process and cluster, shared by parallel tests.
actor UploadedJars {
    static let shared = UploadedJars()
    private var uploads: [String: Task<String, any Error>] = [:]

    /// The jar id stored under `key`, uploading it with `upload` on first use.
    func jarID(key: String, upload: @escaping @Sendable () async throws -> String) async throws -> String {
        if let existing = uploads[key] { return try await existing.value }
        let task = Task { try await upload() }
        uploads[key] = task
        return try await task.value
    }
}
