import FlinkREST
import Foundation
import JSONCore
import Kubernetes
import Testing

@testable import FlinkJobOperator

/// The state-loss and duplicate-job bugs of issue 11, each as a planner-level test that failed on the planner
/// before the lifecycle rewrite (the note on the issue says how each was checked).
@Suite struct StateSafetyRegressionTests {
    // MARK: Prepare before stopping

    @Test func upgradeOfARunningJobPreparesTheNewArtifactBeforeItStopsTheJob() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.with { $0.spec.artifact.jar?.uri = "file:///artifacts/orders-2.jar"; $0.metadata.generation = 2 }
        let result = plan(job, .available(.running(deployed.jobID)))
        #expect(result.savepointRequest == nil, "the job must not be stopped before the new artifact is ready")
        if case .cancel = result.action { Issue.record("the job must not be cancelled before the new artifact is ready") }
        guard case .prepare(let target) = result.action else {
            Issue.record("expected the new artifact to be prepared first, got \(result.action)")
            return
        }
        #expect(target.artifact.jar?.uri == "file:///artifacts/orders-2.jar")
    }

    // MARK: A new generation supersedes a deploy that has not started running

    @Test func aFixedSpecSupersedesADeployThatFlinkRefused() throws {
        // Generation 2 broke the program (Flink refused the run); generation 3 fixes it.
        let broken = FlinkJob.fixture().with { $0.spec.args = ["--broken"]; $0.metadata.generation = 2 }
        let deploying = settled(broken, .available())
        let refused = JobPlanner().record(.submissionFailed(message: "ProgramInvocationException: bad args"), of: deploying, job: broken, now: t0)
        let fixed = refused.applied(to: broken).with { $0.spec.args = ["--fixed"]; $0.metadata.generation = 3 }
        let next = settled(fixed, .available(nil), now: t0.addingTimeInterval(1))
        let deployment = try #require(next.deployment, "the fixed spec must be deployed, not the refused one retried later")
        #expect(deployment.spec.args == ["--fixed"])
        #expect(next.status.observedGeneration == 3)
        for condition in next.status.conditions ?? [] {
            #expect(!condition.message.contains("bad args"), "conditions of generation 3 must not describe generation 2: \(condition)")
        }
    }

    // MARK: A lost stateful job is never redeployed without a provable restore point

    @Test func lostJobWhoseNewestStateCannotBeProvenIsHeldNotRedeployed() {
        let base = FlinkJob.fixture().with { $0.spec.savepoints = .init(directory: "s3://state/sp") }.deployed()
        let job = base.status {
            $0.savepoints = .init(last: .init(
                location: base.savepointPath("1", directory: "s3://state/sp"), time: KubeTime(t0.addingTimeInterval(-3600)),
                reason: .periodic, checkpointId: 20))
            $0.checkpoints = .init(lastCompleted: .init(id: 40, time: KubeTime(t0.addingTimeInterval(-20)), path: "s3://state/ck/\(base.jobID)/chk-40"))
        }
        // Flink lost the job (JobManager restart without HA); s3 cannot be listed, so chk-40 may be gone and a
        // newer one may exist: neither the recorded checkpoint nor the older savepoint is a proven restore point.
        let result = plan(job, .available(nil))
        #expect(result.deployment == nil, "deployed \(String(describing: result.deployment?.restorePath))")
        #expect(result.condition(ConditionType.degraded)?.status == .true)
        #expect(result.condition(ConditionType.degraded)?.reason == "NoRestorePoint")
        #expect(result.status.hold?.fallback == base.savepointPath("1", directory: "s3://state/sp"))
    }

    // MARK: Failure budget counts failures since the last healthy period

    @Test func failuresAreForgivenAfterAHealthyRun() {
        // Three failures long ago; the job then ran healthily for an hour.
        let job = FlinkJob.fixture().deployed(sequence: 4, submitted: t0.addingTimeInterval(-7200)).status {
            $0.failures = .init(count: 3, lastTime: KubeTime(t0.addingTimeInterval(-7300)), lastMessage: "boom")
            $0.job?.healthySince = KubeTime(t0.addingTimeInterval(-7100))
        }
        let healthy = plan(job, .available(.running(job.jobID, started: t0.addingTimeInterval(-7100))))
        let failed = plan(healthy.applied(to: job), .available(.ended(job.jobID, .failed, cause: "boom again")),
                          now: t0.addingTimeInterval(60))
        #expect(failed.status.state != .failed, "one failure after a healthy hour must not exhaust backoffLimit 3")
        #expect(failed.condition(ConditionType.ready)?.reason != "BackoffLimitExceeded")
    }

    // MARK: Transient errors are not job failures

    @Test func anUnreachableClusterDuringADeployIsNotAJobFailure() {
        let job = FlinkJob.fixture()
        let deploying = settled(job, .available())
        let recorded = JobPlanner().record(.unreachable(message: "HTTP 503"), of: deploying, job: job, now: t0)
        #expect((recorded.status.failures?.count ?? 0) == 0)
    }

    // MARK: A batch cancel that fails keeps the run tracked

    @Test func aBatchRunWhoseCancelFailedStaysActive() {
        let job = FlinkJob.batchFixture(.init(activeDeadlineSeconds: 30)).with { $0.spec.recovery.onFailure = .never }
            .runActive(1, started: t0.addingTimeInterval(-31))
        let cancelling = plan(job, .available(runs: [job.runID(1): .running(job.runID(1))]))
        #expect(cancelling.action == .cancel(jobID: job.runID(1)))
        let recorded = JobPlanner().record(.unreachable(message: "connection refused"), of: cancelling, job: job, now: t0)
        #expect(recorded.status.runs?.active?.map(\.jobId) == [job.runID(1)], "the run still runs: it must stay tracked")
        // The next scheduled or retried run must not start while it runs untracked.
        let next = plan(recorded.applied(to: job), .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(5))
        #expect(next.deployment == nil)
    }

    // MARK: Deletion with the FlinkSessionCluster missing

    @Test func deletingAJobWhoseClusterObjectIsMissingHoldsTheFinalizer() {
        let job = FlinkJob.fixture().deployed().deleting()
        let result = plan(job, .init(cluster: .missing))
        #expect(result.action != .removeFinalizer, "the Flink job may still run: the finalizer must stay")
        #expect(result.condition(ConditionType.degraded)?.status == .true)
        #expect(result.events.contains { $0.type == .warning })
    }

    // MARK: A batch run that expired from Flink's history is not run again

    @Test func aSeenBatchRunThatFlinkForgotIsNotRunAgain() {
        let job = FlinkJob.batchFixture().runActive(1)
        // The run was seen RUNNING; now Flink does not know its id (it finished and expired from the job history
        // while the operator was down, or the JobManager restarted): its outcome is unknown.
        let result = plan(job, .available(runs: [:]))
        #expect(result.deployment == nil)
        let later = plan(result.applied(to: job), .available(runs: [:]), now: t0.addingTimeInterval(600))
        #expect(later.deployment == nil, "run 1 may have succeeded; running it again is not the operator's call")
    }

    // MARK: Status is not trusted input

    @Test func savepointsOutsideTheJobsSavepointDirectoryAreNeverDisposed() {
        let foreign = FlinkJobStatus.SavepointRecord(
            location: "file:///other-team/savepoints/sp-1", time: KubeTime(t0.addingTimeInterval(-7200)), reason: .periodic)
        let base = FlinkJob.fixture().with { $0.spec.savepoints = .init(directory: "file:///savepoints/orders", historyLimit: 1) }.deployed()
        let own = FlinkJobStatus.SavepointRecord(
            location: base.savepointPath("2", directory: "file:///savepoints/orders"), time: KubeTime(t0.addingTimeInterval(-3600)), reason: .periodic)
        let trigger = DeploymentIdentity.triggerID(jobID: base.jobID, reason: .periodic, startedAtSeconds: KubeTime(t0).secondsSince1970)
        let job = base.status {
            $0.savepoints = .init(last: own, history: [own, foreign],
                                  pending: .init(triggerId: trigger, reason: .periodic, startedAt: KubeTime(t0), jobId: base.jobID))
        }
        let result = plan(job, .available(.running(job.jobID), savepoint: .completed(location: base.savepointPath("3", directory: "file:///savepoints/orders"))))
        var disposed: [String] = []
        if case .disposeSavepoints(let paths) = result.action { disposed = paths }
        for path in result.status.savepoints?.disposals ?? [] { disposed.append(path) }
        #expect(!disposed.contains("file:///other-team/savepoints/sp-1"))
        #expect(disposed.contains(own.location), "the job's own pruned savepoint is disposed of")
    }

    @Test func aJobIdInStatusThatTheOperatorCouldNotHaveDerivedIsNeverCancelled() {
        let forged = "0123456789abcdef0123456789abcdef"
        let job = FlinkJob.fixture().deployed().deleting().with { $0.spec.deletePolicy = .cancel }
            .status { $0.job?.id = forged }
        let result = plan(job, .available(.running(forged)))
        #expect(result.action != .cancel(jobID: forged))
    }

    // MARK: Restore point by Flink's ordering

    @Test func theRestorePointIsChosenByCheckpointIdNotByTimestamps() throws {
        // The operator's clock recorded the savepoint later than Flink's trigger time of the newer checkpoint.
        let base = FlinkJob.fixture().upgradeMode(.lastState).with { $0.spec.checkpointing = .init(interval: "10s") }.deployed()
        let job = base.status {
            $0.savepoints = .init(last: .init(location: base.savepointPath("5"), time: KubeTime(t0.addingTimeInterval(-10)), reason: .manual, checkpointId: 5))
            $0.checkpoints = .init(lastCompleted: .init(id: 6, time: KubeTime(t0.addingTimeInterval(-60)), path: base.checkpointPath(6)))
        }
        let ended = FlinkJobSnapshot(
            id: job.jobID, state: .failed,
            lastCompletedCheckpoint: .init(id: 6, time: KubeTime(t0.addingTimeInterval(-60)), path: base.checkpointPath(6)),
            failureCause: "boom")
        let first = plan(job, .available(ended))
        let retry = plan(first.applied(to: job), .available(ended), now: t0.addingTimeInterval(3600))
        #expect(try #require(retry.deployment).restorePath == base.checkpointPath(6))
    }

    // MARK: Checkpoint health

    @Test func aStaleCheckpointIsReportedOnceAndDoesNotRewriteStatusEveryPass() {
        let job = FlinkJob.fixture().deployed().with { $0.spec.health = .init(maxCheckpointAge: "1m") }
        var stale = FlinkJobSnapshot.running(job.jobID)
        stale.lastCompletedCheckpoint = .init(id: 7, time: KubeTime(t0.addingTimeInterval(-300)), path: "file:///ckpt/j/chk-7")
        let first = plan(job, .available(stale))
        #expect(first.condition(ConditionType.degraded)?.status == .true)
        #expect(first.events.filter { $0.type == .warning }.count == 1)
        let second = plan(first.applied(to: job), .available(stale), now: t0.addingTimeInterval(60))
        #expect(second.status == first.status, "nothing changed: status must not be rewritten")
        #expect(second.events.isEmpty)
    }

    @Test func checkpointsFailingInARowMakeTheJobDegraded() {
        let job = FlinkJob.fixture().deployed().with { $0.spec.health = .init(maxCheckpointFailures: 3) }
        var failing = FlinkJobSnapshot.running(job.jobID)
        failing.failedCheckpoints = 2
        let healthy = plan(job, .available(failing))
        #expect(healthy.condition(ConditionType.degraded)?.status == .false)
        failing.failedCheckpoints = 5  // three more, none completed since
        let degraded = plan(healthy.applied(to: job), .available(failing), now: t0.addingTimeInterval(30))
        #expect(degraded.condition(ConditionType.degraded)?.status == .true)
        #expect(degraded.condition(ConditionType.degraded)?.reason == "CheckpointsFailing")
    }

    // MARK: Docs and code agree

    @Test func ttlSecondsAfterFinishedDeletesTheFinishedFlinkJob() {
        let job = FlinkJob.batchFixture(.init(ttlSecondsAfterFinished: 60)).runActive(1)
        let done = plan(job, .available(runs: [job.runID(1): .ended(job.runID(1), .finished)]))
        let expired = plan(done.applied(to: job), .available(), now: t0.addingTimeInterval(61))
        #expect(expired.action == .deleteObject)
    }

    @Test func aRefusalByTheClustersQuotaSaysQuotaExceeded() {
        let job = FlinkJob.fixture()
        let result = JobPlanner().plan(PlannerInput(
            job: job, observation: .available(), refusals: [.init(.quotaExceeded, "namespace team-a would use 9 slots")], now: t0))
        #expect(result.condition(ConditionType.ready)?.reason == "QuotaExceeded")
        #expect(result.deployment == nil)
    }

    @Test func aSavepointModeJobWithNoKnownSavepointDirectoryIsNotDeployed() {
        let job = FlinkJob.fixture()  // upgradeMode Savepoint, no spec.savepoints.directory
        let observation = JobObservation(cluster: .available(.init(supportsInPlaceRescale: false, defaultSavepointDirectory: nil)))
        let result = plan(job, observation)
        #expect(result.deployment == nil)
        #expect(result.condition(ConditionType.ready)?.reason == "SavepointDirectoryUnknown")
    }

    // MARK: Rollback

    @Test func rollbackFiresWhenTheNewSpecsJobFailsTerminally() throws {
        let stable = FlinkJob.fixture().deployed().with { $0.spec.rollback = .init(enabled: true, readinessTimeout: "5m") }
        let stableSpec = DeploySpec(stable.spec)
        let upgraded = stable.with { $0.spec.args = ["--broken"] }
            .deployed(sequence: 2, flinkState: .running, submitted: t0.addingTimeInterval(-30)).status {
                $0.lastStableSpec = try? JSONValue(encoding: stableSpec)
                $0.lastStableSpecHash = stableSpec.hash
            }
        let result = plan(upgraded.with { $0.spec.recovery.onFailure = .never }, .available(.ended(upgraded.jobID, .failed, cause: "boom")))
        #expect(result.status.rollback != nil, "a new spec whose job failed must roll back to the last stable spec")
    }

    @Test func rollbackFiresWhenTheNewSpecsSubmissionIsRefused() throws {
        let stable = FlinkJob.fixture().deployed().with { $0.spec.rollback = .init(enabled: true, readinessTimeout: "5m") }
        let stableSpec = DeploySpec(stable.spec)
        let job = stable.with { $0.spec.args = ["--broken"]; $0.spec.recovery.backoffLimit = 0 }
        let upgraded = job.deployed(sequence: 2, flinkState: nil, submitted: t0).status {
            $0.lastStableSpec = try? JSONValue(encoding: stableSpec)
            $0.lastStableSpecHash = stableSpec.hash
            $0.savepoints = .init(last: .init(location: stable.savepointPath("up"), time: KubeTime(t0), reason: .upgrade))
            $0.job?.restoredFrom = stable.savepointPath("up")
        }
        let deploying = plan(upgraded, .available(nil))
        let refused = JobPlanner().record(.submissionFailed(message: "ProgramInvocationException"), of: deploying, job: upgraded, now: t0)
        #expect(refused.status.rollback != nil, "Flink refused the new spec: roll back")
        let next = settled(refused.applied(to: upgraded), .available(nil), now: t0.addingTimeInterval(1))
        let deployment = try #require(next.deployment)
        #expect(deployment.spec.args == ["--rate", "10"])
        #expect(deployment.restorePath == stable.savepointPath("up"))
    }
}
