import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// Submitting, observing and ending jobs on the real local Flink 2.3 session cluster.
@Suite("Job lifecycle on a real Flink", .timeLimit(.minutes(5)))
struct JobLifecycleIntegrationTests {
    @Test func jobRunWithAChosenIDRunsAllItsTasks() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID, parallelism: 2)) { id in
            let details = try await flink.awaitAllTasksRunning(id)
            #expect(details.id == jobID)
            #expect(details.vertices.map(\.id).sorted() == [FlinkTestJobs.streamingCountVertexID, FlinkTestJobs.streamingSourceVertexID])
            #expect(details.vertices.allSatisfy { $0.parallelism == 2 && $0.tasks.running == 2 })
            #expect(details.taskCounts.total == 4)
            #expect(details.taskCounts.pending == 0)
            #expect(try await flink.client.jobStatus(id) == .running)
            let listed = try await poll("job \(id) in the overview with running tasks") {
                try await flink.client.jobsOverview().first { $0.id == id && $0.tasks.allRunning }
            }
            #expect(listed.jobType == "STREAMING")
            #expect(try await flink.client.listJobs().contains { $0.id == id })
            #expect(try await flink.client.jobExecutionResult(id) == .inProgress)
        }
    }

    @Test func sameJobIDAgainIsADuplicate() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID)) { id in
            let error = await flinkError { _ = try await flink.run(flink.streamingRequest(jobID: id)) }
            #expect(error?.kind == .duplicateJob, "\(String(describing: error))")
            #expect(error?.message.contains("DuplicateApplicationSubmissionException") == true)
            let status = try await flink.client.jobStatus(id)
            #expect(status != .failed, "the first job is untouched")
        }
    }

    @Test func cancelledJobEndsCanceledAndCancellingAgainSucceeds() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID)) { id in
            try await flink.awaitAllTasksRunning(id)
            try await flink.client.cancelJob(id)
            try await flink.awaitState(id, .canceled)
            try await flink.client.cancelJob(id)
            let result = try await poll("execution result of \(id)") {
                if case .completed(let result) = try await flink.client.jobExecutionResult(id) { return result }
                return nil
            }
            #expect(result.applicationStatus == .canceled)
        }
    }

    @Test func batchJobFinishesWithASucceededResult() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        let request = JarRunRequest(
            entryClass: FlinkTestJobs.batchJobClass,
            programArguments: ["--records", "2000"],
            parallelism: 1,
            jobID: jobID
        )
        try await flink.withJob(request) { id in
            try await flink.awaitState(id, .finished)
            guard case .completed(let result) = try await flink.client.jobExecutionResult(id) else {
                Issue.record("a FINISHED job has a result")
                return
            }
            #expect(result.applicationStatus == .succeeded)
            #expect(result.failureCause == nil)
            #expect(try await flink.client.checkpointStatistics(id) == nil, "batch jobs do not checkpoint")
            let details = try await flink.client.jobDetails(id)
            #expect(details.jobType == "BATCH")
        }
    }

    @Test func failingBatchJobFailsWithTheProgramsMessage() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        let request = JarRunRequest(
            entryClass: FlinkTestJobs.batchJobClass,
            programArguments: ["--fail", "true"],
            parallelism: 1,
            jobID: jobID
        )
        try await flink.withJob(request) { id in
            try await flink.awaitState(id, .failed)
            guard case .completed(let result) = try await flink.client.jobExecutionResult(id) else {
                Issue.record("a FAILED job has a result")
                return
            }
            #expect(result.applicationStatus == .failed)
            let cause = try #require(result.failureCause)
            #expect(cause.summary.contains(FlinkTestJobs.batchFailureMessage), "\(cause.summary)")
            #expect(!cause.summary.contains("\tat "))
            let history = try await poll("exception history of \(id)") {
                let history = try await flink.client.jobExceptions(id)
                return history.entries.isEmpty ? nil : history
            }
            let messages = history.entries.flatMap { [$0] + ($0.concurrentExceptions ?? []) }.map(\.summary)
            #expect(messages.contains { $0.contains(FlinkTestJobs.batchFailureMessage) }, "\(messages)")
        }
    }

    @Test func badSavepointPathIsABadRequestAndLeavesAFailedJobUnderTheRequestedID() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        let missing = "file://" + NSTemporaryDirectory() + "flinkrest-no-such-savepoint-\(jobID)"
        let error = await flinkError {
            _ = try await flink.run(flink.streamingRequest(jobID: jobID, savepointPath: missing))
        }
        #expect(error?.kind == .badRequest, "\(String(describing: error))")
        #expect(error?.message.contains("Cannot find checkpoint or savepoint") == true)
        // Flink leaves a FAILED job behind under the requested id: the id is used up.
        try await flink.awaitState(jobID, .failed)
        let again = await flinkError { _ = try await flink.run(flink.streamingRequest(jobID: jobID)) }
        #expect(again?.kind == .duplicateJob)
    }

    @Test func programFailingBeforeSubmissionIsABadRequestAndLeavesNoJob() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        let request = JarRunRequest(
            entryClass: FlinkTestJobs.sqlRunnerClass,
            programArguments: ["SELEC nonsense"],
            jobID: jobID
        )
        let error = await flinkError { _ = try await flink.run(request) }
        #expect(error?.kind == .badRequest, "\(String(describing: error))")
        #expect(error?.message.contains("SQL parse failed") == true)
        #expect(await flinkError { _ = try await flink.client.jobStatus(jobID) }?.kind == .notFound)
    }
}
