import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import Kubernetes
import Testing

/// The built operator binary + the Kubernetes API emulator + a real Flink 2.3 session cluster.
@Suite(.serialized) struct StreamingLifecycleEndToEndTests {
    @Test func createUpgradeSuspendResumeAndDeleteAStreamingJob() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let orders = EndToEndEnvironment.uniqueName("orders")
        let op = try OperatorUnderTest.start(environment)
        defer { Task { await environment.cancelFlinkJobs(named: orders) } }
        do {
            // Create → RUNNING with all tasks, Ready=True, the deterministic job id.
            let created = try await environment.jobs.create(environment.streamingJob(orders))
            let uid = try #require(created.metadata.uid)
            let ready = try await environment.waitUntilReady(orders)
            let firstID = DeploymentIdentity.jobID(uid: uid, sequence: 1)
            #expect(ready.status?.job?.id == firstID)
            #expect(ready.status?.state == .running)
            let flinkJob = try await environment.flinkClient.jobDetails(try #require(FlinkJobID(firstID)))
            #expect(flinkJob.state == .running)
            #expect(flinkJob.taskCounts.allRunning)

            // Change args → stop with a savepoint, the new job restores from it, the savepoint is in history.
            try await environment.editSpec(orders) { $0.args = ["--rate", "6", "--checkpoint-interval", "500"] }
            let afterUpgrade = try await environment.waitFor(orders, "running the upgraded spec") { job in
                job.status?.deploySequence == 2 && job.status?.state == .running
                    && job.status?.observedGeneration == job.metadata.generation ? job : nil
            }
            let upgradeSavepoint = try #require(afterUpgrade.status?.savepoints?.history?.first)
            #expect(upgradeSavepoint.reason == .upgrade)
            #expect(afterUpgrade.status?.job?.restoredFrom == upgradeSavepoint.location)
            let secondID = try #require(FlinkJobID(DeploymentIdentity.jobID(uid: uid, sequence: 2)))
            let restored = try await poll("job 2 reports its restore") {
                try await environment.flinkClient.checkpointStatistics(secondID)?.latest.restored
            }
            #expect(restored.isSavepoint)
            #expect(restored.externalPath.map { EndToEndEnvironment.samePath($0, upgradeSavepoint.location) } == true)
            #expect(try await environment.flinkClient.jobStatus(try #require(FlinkJobID(firstID))) == .finished)

            // Suspend → savepoint, no job running in Flink.
            try await environment.editSpec(orders) { $0.state = .suspended }
            let afterSuspend = try await environment.waitFor(orders, "Suspended") { $0.status?.state == .suspended ? $0 : nil }
            #expect(afterSuspend.status?.savepoints?.last?.reason == .suspend)
            #expect(try await environment.flinkJobs(named: orders).allSatisfy { $0.state.isGloballyTerminal })

            // Resume → restored from the suspend savepoint.
            try await environment.editSpec(orders) { $0.state = .running }
            let afterResume = try await environment.waitFor(orders, "running after resume") { job in
                job.status?.deploySequence == 3 && job.status?.state == .running ? job : nil
            }
            #expect(afterResume.status?.job?.restoredFrom == afterSuspend.status?.savepoints?.last?.location)

            // Delete → stop with a savepoint, then the FlinkJob is gone.
            _ = try await environment.jobs.delete(orders)
            try await poll("FlinkJob orders to be gone", timeout: .seconds(60)) {
                do {
                    _ = try await environment.jobs.get(orders)
                    return false
                } catch let error as KubernetesError where error.isNotFound {
                    return true
                }
            }
            let thirdID = try #require(FlinkJobID(DeploymentIdentity.jobID(uid: uid, sequence: 3)))
            #expect(try await environment.flinkClient.jobStatus(thirdID) == .finished)
            #expect(try await environment.flinkClient.checkpointStatistics(thirdID)?.latest.savepoint != nil)
            #expect(try await environment.flinkJobs(named: orders).filter { !$0.state.isGloballyTerminal }.isEmpty)
            #expect(try await op.terminate() == 0)
            if ProcessInfo.processInfo.environment["FJC_E2E_PRINT_LOGS"] == "1" { print(op.logs) }
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        await environment.stop()
    }
}
