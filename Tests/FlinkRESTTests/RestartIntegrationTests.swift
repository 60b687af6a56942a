import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// A JobManager restart on a dedicated instance: what Flink (without HA) forgets and keeps.
@Suite("JobManager restart on a dedicated Flink", .timeLimit(.minutes(5)))
struct RestartIntegrationTests {
    @Test func restartedJobManagerForgetsJobsButKeepsJars() async throws {
        let cluster = try await FlinkTestCluster.dedicated(name: "test-restart", slots: 2)
        try await withCleanup {
            let flink = try await LiveFlink.make(cluster)
            let jobID = FlinkTestCluster.uniqueJobID()
            _ = try await flink.run(flink.streamingRequest(jobID: jobID))
            try await flink.awaitAllTasksRunning(jobID)

            try await cluster.restart()

            let jobs = try await poll("the restarted JobManager's REST API", retryErrors: true) {
                try await flink.client.jobsOverview()
            }
            #expect(jobs.isEmpty)
            #expect(await flinkError { _ = try await flink.client.jobStatus(jobID) }?.kind == .notFound)
            #expect(await flinkError { _ = try await flink.client.jobDetails(jobID) }?.kind == .notFound)
            #expect(try await flink.client.listJars().contains { $0.id == flink.jarID })
            // The id is free again: the restarted JobManager accepts a resubmission under it.
            #expect(try await flink.run(flink.streamingRequest(jobID: jobID)) == jobID)
            try await flink.client.cancelJob(jobID)
        } cleanup: {
            try? await cluster.stop()
        }
        // Stopped: nothing listens on the instance's port any more.
        let error = await flinkError { _ = try await cluster.restClient().clusterOverview() }
        #expect(error?.kind == .unreachable)
    }
}
