import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// Cluster endpoints, jars and error cases against the real local Flink 2.3 session clusters.
@Suite("Cluster and jars on a real Flink", .timeLimit(.minutes(5)))
struct ClusterIntegrationTests {
    @Test func clusterReportsVersionSlotsAndTaskManagers() async throws {
        let flink = try await LiveFlink.shared()
        let overview = try await flink.client.clusterOverview()
        #expect(overview.flinkVersion == "2.3.0")
        #expect(overview.taskManagers >= 1)
        #expect(overview.slotsTotal >= FlinkTestCluster.sharedSlots)
        let dashboard = try await flink.client.dashboardConfiguration()
        #expect(dashboard.flinkVersion == "2.3.0")
        let managers = try await flink.client.taskManagers()
        #expect(managers.map(\.slotsNumber).reduce(0, +) == overview.slotsTotal)
        #expect(try await flink.client.jobManagerConfiguration().usesAdaptiveScheduler == false)
        let adaptive = try await LiveFlink.adaptive()
        #expect(try await adaptive.client.jobManagerConfiguration().usesAdaptiveScheduler)
    }

    @Test func uploadedJarIsListedAndDeletedAndASecondDeleteIsNotFound() async throws {
        let flink = try await LiveFlink.shared()
        let jar = try await flink.client.uploadJar(at: flink.jobs.streamingJobJar)
        #expect(jar.id.hasSuffix("_streaming-job.jar"))
        let listed = try #require(try await flink.client.listJars().first { $0.id == jar.id })
        #expect(listed.name == "streaming-job.jar")
        #expect(listed.entry.map(\.name) == [FlinkTestJobs.streamingJobClass])
        try await flink.client.deleteJar(jar.id)
        #expect(try await flink.client.listJars().contains { $0.id == jar.id } == false)
        let again = await flinkError { try await flink.client.deleteJar(jar.id) }
        #expect(again?.kind == .notFound)
    }

    @Test func unknownJobIsNotFoundForDetailsStatusAndEveryJobEndpoint() async throws {
        let client = try await LiveFlink.shared().client
        let unknown = FlinkTestCluster.uniqueJobID()
        #expect(await flinkError { _ = try await client.jobDetails(unknown) }?.kind == .notFound)
        #expect(await flinkError { _ = try await client.jobStatus(unknown) }?.kind == .notFound)
        #expect(await flinkError { _ = try await client.jobExceptions(unknown) }?.kind == .notFound)
        #expect(await flinkError { _ = try await client.jobExecutionResult(unknown) }?.kind == .notFound)
        #expect(await flinkError { try await client.cancelJob(unknown) }?.kind == .notFound)
        #expect(await flinkError { _ = try await client.checkpointStatistics(unknown) }?.kind == .notFound)
        #expect(await flinkError { _ = try await client.savepointStatus(of: unknown, trigger: .random()) }?.kind == .notFound)
    }

    @Test func unknownJarOrEntryClassIsRefused() async throws {
        let flink = try await LiveFlink.shared()
        let missingJar = await flinkError {
            _ = try await flink.run(JarRunRequest(jobID: .random()), jarID: "00000000-0000-0000-0000-000000000000_nope.jar")
        }
        #expect(missingJar?.kind == .notFound)
        let missingClass = await flinkError {
            _ = try await flink.run(JarRunRequest(entryClass: "no.such.Main", jobID: .random()))
        }
        #expect(missingClass?.kind == .serverError)
        #expect(missingClass?.message.contains("no.such.Main") == true)
    }

    @Test func closedPortIsUnreachable() async throws {
        let client = try FlinkRESTClient(
            httpClient: try FlinkTestCluster.httpClient(),
            baseURL: ClosedPort.url(),
            requestTimeout: .seconds(10),
            logger: .init(label: "test")
        )
        let error = await flinkError { _ = try await client.clusterOverview() }
        #expect(error?.kind == .unreachable, "\(String(describing: error))")
        #expect(error?.isTransient == true)
    }

    @Test func defaultSchedulerRefusesResourceRequirements() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID)) { id in
            let error = await flinkError { _ = try await flink.client.resourceRequirements(of: id) }
            #expect(error?.kind == .serverError)
            #expect(error?.message.contains("DefaultScheduler does not support") == true)
        }
    }
}
