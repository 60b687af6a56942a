import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// Backpressure and in-place rescaling on the real local Flink 2.3 session clusters.
@Suite("Backpressure and rescaling on a real Flink", .timeLimit(.minutes(5)))
struct ScalingIntegrationTests {
    @Test func backpressureOfARunningJobsVerticesIsMeasured() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID, parallelism: 2)) { id in
            let details = try await flink.awaitAllTasksRunning(id)
            // Flink answers "deprecated" (unavailable) until its metrics fetcher ran, about 10 s.
            for vertex in details.vertices {
                let report = try await poll("backpressure of vertex \(vertex.name)", timeout: .seconds(60), interval: .seconds(1)) {
                    if case .measured(let report) = try await flink.client.backpressure(of: id, vertex: vertex.id) {
                        return report
                    }
                    return nil
                }
                #expect(report.subtasks.count == vertex.parallelism)
                #expect([BackpressureLevel.ok, .low, .high].contains(report.level))
                // 5 records per second never block anyone.
                #expect(report.level == .ok, "\(report)")
                #expect(report.maxRatio <= 0.1)
            }
            let unknownVertex = try await flink.client.backpressure(of: id, vertex: "00000000000000000000000000000000")
            #expect(unknownVertex == .unavailable)
        }
    }

    @Test func resourceRequirementsRescaleInPlaceOnTheAdaptiveScheduler() async throws {
        let flink = try await LiveFlink.adaptive()
        let jobID = FlinkTestCluster.uniqueJobID()
        let request = flink.streamingRequest(jobID: jobID, parallelism: 1, arguments: ["--checkpoint-interval", "500"])
        try await flink.withJob(request) { id in
            let before = try await flink.awaitAllTasksRunning(id)
            #expect(before.schedulerType == "Adaptive")
            #expect(before.vertices.allSatisfy { $0.parallelism == 1 })
            let checkpoint = try await flink.awaitCompletedCheckpoint(id)
            let restoresBefore = checkpoint.counts.restored

            let requirements = try await flink.client.resourceRequirements(of: id)
            #expect(Set(requirements.vertices.keys) == Set(before.vertices.map(\.id)))
            #expect(requirements.vertices.values.allSatisfy { $0 == .init(lowerBound: 1, upperBound: 1) })
            let wanted = requirements.withAllVertices(lowerBound: 1, upperBound: 2)
            try await flink.client.updateResourceRequirements(of: id, wanted)
            // PUT is idempotent: the same requirements again change nothing.
            try await flink.client.updateResourceRequirements(of: id, wanted)
            #expect(try await flink.client.resourceRequirements(of: id) == wanted)

            // The generator's splits were fixed at the first start (parallelism 1): after scaling up, the second
            // source subtask has no split and FINISHES, so the job counts as healthy with running+finished tasks.
            let after = try await poll("job \(id) running with parallelism 2", timeout: .seconds(90)) {
                let details = try await flink.client.jobDetails(id)
                let rescaled = details.vertices.allSatisfy { $0.parallelism == 2 }
                    && details.taskCounts.allRunningOrFinished
                    && details.vertex(id: FlinkTestJobs.streamingCountVertexID)?.tasks.running == 2
                return rescaled && details.state == .running ? details : nil
            }
            #expect(after.id == jobID)
            #expect(after.taskCounts.total == 4)
            #expect(after.taskCounts.pending == 0)
            let statistics = try await poll("restore after the rescale") {
                try await flink.client.checkpointStatistics(id).flatMap {
                    $0.counts.restored > restoresBefore && $0.latest.restored != nil ? $0 : nil
                }
            }
            #expect(try #require(statistics.latest.restored).id >= checkpoint.latest.completed?.id ?? 0)
        }
    }

    @Test func incompleteResourceRequirementsAreABadRequest() async throws {
        let flink = try await LiveFlink.adaptive()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID)) { id in
            try await flink.awaitAllTasksRunning(id)
            let partial = JobResourceRequirements(vertices: [FlinkTestJobs.streamingSourceVertexID: .init(lowerBound: 1, upperBound: 2)])
            let error = await flinkError { try await flink.client.updateResourceRequirements(of: id, partial) }
            #expect(error?.kind == .badRequest, "\(String(describing: error))")
        }
    }
}
