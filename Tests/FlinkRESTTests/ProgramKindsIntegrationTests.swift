import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// SQL and PyFlink programs submitted through REST on the real local Flink 2.3 session cluster.
@Suite("SQL and Python jobs on a real Flink", .timeLimit(.minutes(5)))
struct ProgramKindsIntegrationTests {
    @Test func sqlRunnerRunsADatagenToBlackholeInsert() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        let request = JarRunRequest(
            entryClass: FlinkTestJobs.sqlRunnerClass,
            programArguments: [
                "CREATE TABLE src (id BIGINT, name STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '5')",
                "CREATE TABLE sink (id BIGINT, name STRING) WITH ('connector' = 'blackhole')",
                "INSERT INTO sink SELECT id, name FROM src",
            ],
            parallelism: 1,
            jobID: jobID,
            flinkConfiguration: ["pipeline.name": "flinkrest-sql-\(jobID.hexString.prefix(8))"]
        )
        try await flink.withJob(request) { id in
            let details = try await flink.awaitAllTasksRunning(id)
            #expect(details.name == "flinkrest-sql-\(jobID.hexString.prefix(8))")
            #expect(details.jobType == "STREAMING")
        }
    }

    @Test func pythonDriverRunsAPyFlinkJob() async throws {
        let flink = try await LiveFlink.shared()
        let driverJar = try await UploadedJars.shared.jarID(key: flink.cluster.restURL + "|python") {
            try await flink.client.uploadJar(at: flink.jobs.pythonDriverJar).id
        }
        let jobID = FlinkTestCluster.uniqueJobID()
        let request = JarRunRequest(
            entryClass: FlinkTestJobs.pythonDriverClass,
            programArguments: ["--python", flink.jobs.pythonStreamingJob, "--rate", "2", "--no-udf"],
            parallelism: 1,
            jobID: jobID,
            flinkConfiguration: ["pipeline.name": "flinkrest-python-\(jobID.hexString.prefix(8))"]
        )
        try await flink.withJob(request, jarID: driverJar, exclusive: true) { id in
            let details = try await flink.awaitAllTasksRunning(id)
            #expect(details.name == "flinkrest-python-\(jobID.hexString.prefix(8))")
        }
    }
}
