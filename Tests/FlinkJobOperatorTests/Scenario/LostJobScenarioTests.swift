import ControllerRuntime
import FlinkModel
import FlinkREST
import Foundation
import Kubernetes
import KubernetesEmulator
import Testing

@testable import FlinkJobOperator

/// Scenarios of jobs Flink lost (JobManager restarts without HA, jars wiped, answers forgotten): each restarts
/// from its newest proven state, or is held — never started empty or from older state on its own.
@Suite struct LostJobScenarioTests {
    /// Creates `name`, waits until it runs, lets Flink checkpoint for `after` and reconciles once, so that status
    /// records the newest checkpoint.
    static func runningWithACheckpointRecorded(_ world: ScenarioWorld, _ name: String, after: Duration) async throws {
        try await world.create(world.streamingJob(name))
        _ = try await LifecycleScenarioTests.running(world, name)
        world.advance(by: after)
        try await world.reconcile(name)
    }

    // MARK: Lost jobs and jars

    @Test func aJobManagerRestartThatLosesJarsRunsTheJobAgainFromItsStateWithOneNewUpload() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await Self.runningWithACheckpointRecorded(world, "orders", after: .seconds(4))
        let uploadsBefore = world.faults.callCount(.uploadJar)
        world.flink.restartJobManager(keepJars: false)
        world.advance(by: .seconds(2))  // Flink took another checkpoint before it went down? No: it is down; the newest is retained.
        let again = try await world.settle("orders", passes: 60) { $0.status?.deploySequence == 2 && $0.status?.phase == .running }
        #expect(world.faults.callCount(.uploadJar) == uploadsBefore + 1, "exactly one new upload")
        let restored = try #require(again.status?.job?.restoredFrom)
        #expect(restored.contains("/chk-"), "restored from the retained checkpoint: \(restored)")
        #expect(!world.events(reason: "JobLost").isEmpty)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aJobLostBeforeTheOperatorSawItsFirstCheckpointRestartsFromThatCheckpoint() async throws {
        // Found by the fault simulation (seed 11): the job checkpointed, the JobManager restarted before the next
        // observation, and with no checkpoint in status the lost job counted as stateless and started empty.
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders"))
        let running = try await world.settle("orders", step: .zero) { $0.status?.phase == .running }
        #expect(running.status?.checkpoints?.lastCompleted == nil)
        world.flink.advance(by: .seconds(3))  // Flink checkpoints; the operator has not looked since
        let checkpoint = try #require(world.flink.snapshots.filter { $0.kind == .checkpoint }.map(\.path).last)
        world.flink.restartJobManager(keepJars: true)
        let recovered = try await world.settle("orders") { $0.status?.phase == .running && $0.status?.deploySequence == 2 }
        #expect(recovered.status?.job?.restoredFrom == checkpoint)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aJobLostAgainBeforeItsOwnFirstCheckpointRestartsFromWhereItStarted() async throws {
        // Found by the fault simulation (seeds 25, 33, 134): the second loss came before the restored job
        // completed a checkpoint; the recorded checkpoint (the one it started from) counted as unproven, so the
        // job was held although its start point was proven.
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await Self.runningWithACheckpointRecorded(world, "orders", after: .seconds(3))
        world.flink.restartJobManager(keepJars: true)
        // The second job is submitted; the JobManager goes away again before the operator saw it run.
        let second = try await world.settle("orders", step: .zero) { $0.status?.deploySequence == 2 && $0.status?.phase == .deploying }
        #expect(world.liveFlinkJobs("orders").count == 1)
        let startPoint = try #require(second.status?.job?.restoredFrom)
        world.flink.restartJobManager(keepJars: true)
        let third = try await world.settle("orders", step: .zero) { $0.status?.deploySequence == 3 && $0.status?.phase == .running }
        #expect(third.status?.job?.restoredFrom == startPoint)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aStopSavepointWhoseAnswerALostJobManagerForgotIsStillWhereTheNextRunStarts() async throws {
        // Found by the fault simulation (seeds 20, 22, 44): the stop-with-savepoint completed, the JobManager
        // restarted before the operator polled the trigger, and the next run started from an older checkpoint.
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await Self.runningWithACheckpointRecorded(world, "orders", after: .seconds(3))
        try await world.edit("orders") { $0.args = ["--rate", "9"] }
        for _ in 0..<4 where world.faults.callCount(.stopWithSavepoint) == 0 {
            try await world.reconcile("orders")
        }
        let stopSavepoint = try #require(world.flink.events.compactMap { event -> String? in
            if case .savepointCompleted(_, _, let location) = event.kind { return location }
            return nil
        }.last)
        world.flink.restartJobManager(keepJars: true)  // the trigger's answer is gone
        let upgraded = try await world.settle("orders") { $0.status?.phase == .running && $0.status?.deploySequence == 2 }
        #expect(upgraded.status?.job?.restoredFrom == stopSavepoint)
        #expect(upgraded.status?.savepoints?.last?.location == stopSavepoint)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aLostJobWhoseCheckpointStorageCannotBeListedIsHeldAndNothingRunsEmpty() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await Self.runningWithACheckpointRecorded(world, "orders", after: .seconds(4))
        world.storage.listable = false  // s3-style storage
        let runsBefore = world.faults.callCount(.runJar)
        world.flink.restartJobManager(keepJars: true)
        let held = try await world.settle("orders") { $0.status?.phase == .held }
        for _ in 0..<5 {
            try await world.reconcile("orders")
            world.advance(by: .seconds(30))
        }
        #expect(world.faults.callCount(.runJar) == runsBefore, "nothing deployed")
        #expect(held.status?.conditions?.first { $0.type == "Degraded" }?.reason == "NoRestorePoint")
        #expect(held.status?.state == .held)
        #expect(world.liveFlinkJobs("orders").isEmpty)

        // Releasing the hold with its token starts from the fallback the message named.
        let token = try #require(held.status?.hold?.token)
        var annotated = try await world.job("orders")
        annotated.metadata.annotations = [FlinkJobStatus.Hold.releaseAnnotation: token]
        _ = try await world.jobsAPI.replace(annotated)
        let released = try await world.settle("orders") { $0.status?.phase == .running && $0.status?.deploySequence == 2 }
        #expect(released.status?.job?.restoredFrom == held.status?.hold?.fallback)
    }

    @Test func aStalePassNeverResubmitsAJobIdALostJobManagerHadWhileItsSuccessorRuns() async throws {
        // Found by the fault simulation (seed 286): a pass planned from a cache older than the redeploy saw the
        // first job "in doubt" and submitted its id again — no status change, so no write proved the plan fresh —
        // and it ran next to its successor.
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        let intent = world.objectAtFirstRunJar("orders")
        try await world.create(world.streamingJob("orders"))
        _ = try await LifecycleScenarioTests.running(world, "orders")
        let stale = try #require(intent.withLock { $0 })
        #expect(stale.status?.phase == .deploying && stale.status?.job?.submission == nil)
        world.flink.restartJobManager(keepJars: true)
        let successor = try await world.settle("orders", step: .zero) { $0.status?.deploySequence == 2 && $0.status?.phase == .running }

        let result = try await world.reconcile(stale: stale)
        guard case .failure(let error) = result, error is FlinkJobReconciler.StaleIntent else {
            Issue.record("expected the stale plan to be refused, got \(result)")
            return
        }
        #expect(world.liveFlinkJobs("orders").map { "\($0.id)" } == [successor.status?.job?.id].compactMap { $0 })
    }
}
