import Foundation

/// The compiled test jobs of `testjobs/` (see `testjobs/README.md`) and the PyFlink driver jar.
///
/// `compiled()` runs `scripts/flink-session.sh jobs` once per test process (a no-op when up to date).
public struct FlinkTestJobs: Sendable {
    /// All test classes, no `Main-Class`: pass `entryClass`.
    public let testJobsJar: String
    /// `StreamingJob` as `Main-Class`.
    public let streamingJobJar: String
    /// `BatchJob` as `Main-Class`.
    public let batchJobJar: String
    /// `SqlRunner` as `Main-Class`.
    public let sqlRunnerJar: String
    /// Flink's `flink-python` jar, whose `PythonDriver` runs PyFlink programs.
    public let pythonDriverJar: String
    /// The PyFlink test program `testjobs/python/streaming_job.py` (readable by the local JobManager).
    public let pythonStreamingJob: String

    /// Unbounded, checkpointed job with keyed state (`--rate`, `--checkpoint-interval`, `--fail-after`, …).
    public static let streamingJobClass = "io.jobcontroller.testjobs.StreamingJob"
    /// Bounded job (`--records`, `--fail true`, `--sleep-ms`).
    public static let batchJobClass = "io.jobcontroller.testjobs.BatchJob"
    /// Runs SQL statements given as arguments.
    public static let sqlRunnerClass = "io.jobcontroller.testjobs.SqlRunner"
    /// Flink's driver for PyFlink programs.
    public static let pythonDriverClass = "org.apache.flink.client.python.PythonDriver"
    /// The message `BatchJob --fail true` fails with.
    public static let batchFailureMessage = "BatchJob failed on purpose"
    /// Vertex id of `StreamingJob`'s source (stable for the same graph).
    public static let streamingSourceVertexID = "5e88ece2919d586b37df09cd1e46276a"
    /// Vertex id of `StreamingJob`'s counting/sink chain.
    public static let streamingCountVertexID = "5b61d6019ab04da71a4e62533c1a8c40"

    private static let compiledOnce = Task { try await build() }

    /// The jars, compiled on first use.
    /// - Throws: `FlinkTestSupportError.scriptFailed` with javac's messages when compiling fails.
    public static func compiled() async throws -> FlinkTestJobs {
        try await compiledOnce.value
    }

    private static func build() async throws -> FlinkTestJobs {
        _ = try await FlinkSessionScript.run(["jobs"])
        let env = FlinkSessionScript.parseExports(try await FlinkSessionScript.run(["env"]).stdout)
        guard
            let directory = env["FLINK_TESTJOBS_DIR"], let pythonJar = env["FLINK_PYTHON_JAR"],
            let pythonDirectory = env["FLINK_TESTJOBS_PYTHON_DIR"]
        else {
            throw FlinkTestSupportError.unexpectedScriptOutput(
                command: "scripts/flink-session.sh env",
                output: env.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n")
            )
        }
        let jobs = FlinkTestJobs(
            testJobsJar: directory + "/testjobs.jar",
            streamingJobJar: directory + "/streaming-job.jar",
            batchJobJar: directory + "/batch-job.jar",
            sqlRunnerJar: directory + "/sql-runner.jar",
            pythonDriverJar: pythonJar,
            pythonStreamingJob: pythonDirectory + "/streaming_job.py"
        )
        for path in [jobs.testJobsJar, jobs.streamingJobJar, jobs.batchJobJar, jobs.sqlRunnerJar, jobs.pythonDriverJar,
            jobs.pythonStreamingJob]
        where !FileManager.default.fileExists(atPath: path) {
            throw FlinkTestSupportError.unexpectedScriptOutput(command: "scripts/flink-session.sh jobs", output: "missing \(path)")
        }
        return jobs
    }
}
