import FlinkREST
import Foundation
import JSONCore
import Kubernetes
import Testing

@testable import FlinkJobOperator

@Suite struct DeployPlanningTests {
    @Test func newJobIsPreparedThenDeployedUnderADeterministicIdThatIsWrittenBeforeSubmitting() throws {
        let job = FlinkJob.fixture()
        let first = plan(job, .available())
        #expect(first.action == .prepare(DeploySpec(job.spec)))
        #expect(first.status.phase == .pending)
        #expect(first.status.state == .pending)
        #expect(!first.action.needsStatusFirst)

        let result = settled(job, .available())
        let deployment = try #require(result.deployment)
        #expect(deployment.jobID == DeploymentIdentity.jobID(uid: "uid-1", sequence: 1))
        #expect(deployment.jobID.count == 32 && deployment.jobID.allSatisfy(\.isHexDigit))
        #expect(deployment.sequence == 1)
        #expect(deployment.restorePath == nil)
        #expect(deployment.prepared?.specHash == DeploySpec(job.spec).hash)
        #expect(result.action.needsStatusFirst)
        #expect(result.status.phase == .deploying)
        #expect(result.status.job?.id == deployment.jobID)
        #expect(result.status.deploySequence == 1)
        #expect(result.status.lastAppliedSpecHash == DeploySpec(job.spec).hash)
        #expect(result.status.state == .deploying)
        #expect(result.condition(ConditionType.progressing)?.status == .true)
        #expect(result.status.observedGeneration == 1)
        #expect(result.status.selector == "flink.jobcontroller.io/flinkjob=orders")
    }

    @Test func jobIdsDifferPerObjectAndPerSequence() {
        let a1 = DeploymentIdentity.jobID(uid: "a", sequence: 1)
        #expect(a1 == DeploymentIdentity.jobID(uid: "a", sequence: 1))
        #expect(a1 != DeploymentIdentity.jobID(uid: "a", sequence: 2))
        #expect(a1 != DeploymentIdentity.jobID(uid: "b", sequence: 1))
        #expect(a1 != DeploymentIdentity.runJobID(uid: "a", run: 1))
    }

    @Test func firstDeployStartsFromTheInitialSavepoint() throws {
        let job = FlinkJob.fixture().with { $0.spec.initialSavepointPath = "file:///sp/initial" }
        #expect(try #require(settled(job, .available()).deployment).restorePath == "file:///sp/initial")
    }

    @Test func submissionWhoseAnswerWasLostIsRepeatedUnderTheSameId() throws {
        let job = FlinkJob.fixture().deployed(flinkState: nil)
        let deployment = try #require(plan(job, .available(nil)).deployment)
        #expect(deployment.jobID == job.jobID)
        #expect(deployment.sequence == 1)
    }

    @Test func runningJobWithAllTasksRunningIsReadyAndBecomesTheStableSpec() {
        let job = FlinkJob.fixture().deployed(flinkState: .created)
        let result = plan(job, .available(.running(job.jobID)))
        #expect(result.action == .none)
        #expect(result.condition(ConditionType.ready)?.status == .true)
        #expect(result.condition(ConditionType.progressing)?.status == .false)
        #expect(result.status.state == .running)
        #expect(result.status.phase == .running)
        #expect(result.status.lastStableSpecHash == result.status.lastAppliedSpecHash)
        #expect(result.status.job?.flinkState == "RUNNING")
        #expect(result.status.job?.tasks == .init(total: 2, running: 2))
        #expect(result.status.checkpoints?.lastCompleted?.id == 7)
        #expect(result.requeueAfter == .seconds(60))
        #expect(result.events.contains { $0.reason == "JobRunning" })
    }

    @Test func steadyRequeuesAreSpreadByUpToTenPercent() {
        let delays = (0..<20).map { offset in
            let job = FlinkJob.fixture(uid: "uid-\(offset)").deployed()
            return JobPlanner().plan(PlannerInput(job: job, observation: .available(.running(job.jobID)), now: t0)).requeueAfter
        }
        #expect(delays.allSatisfy { $0 >= .seconds(60) && $0 <= .seconds(66) })
        #expect(Set(delays).count > 10, "jitter spreads objects: \(delays)")
    }

    @Test func jobWhoseTasksWaitForSlotsIsNotReady() {
        let job = FlinkJob.fixture().deployed(flinkState: .running)
        var snapshot = FlinkJobSnapshot.running(job.jobID)
        snapshot.tasks = .init(total: 4, running: 1, pending: 3)
        let result = plan(job, .available(snapshot))
        #expect(result.condition(ConditionType.ready)?.status == .false)
        #expect(result.condition(ConditionType.ready)?.reason == "TasksPending")
        #expect(result.requeueAfter == .seconds(2))
    }

    @Test func conditionKeepsItsTransitionTimeWhileItsStatusStays() throws {
        let job = FlinkJob.fixture().deployed()
        let first = plan(job, .available(.running(job.jobID)), now: t0)
        let second = plan(first.applied(to: job), .available(.running(job.jobID)), now: t0.addingTimeInterval(120))
        #expect(second.condition(ConditionType.ready)?.lastTransitionTime == KubeTime(t0))
        var slow = FlinkJobSnapshot.running(job.jobID)
        slow.tasks = .init(total: 2, running: 1, pending: 1)
        let third = plan(second.applied(to: job), .available(slow), now: t0.addingTimeInterval(240))
        #expect(third.condition(ConditionType.ready)?.lastTransitionTime == KubeTime(t0.addingTimeInterval(240)))
    }

    @Test func theSummaryStateIsDerivedFromThePhaseNeverReadBack() {
        // A forged summary state changes nothing: the phase decides.
        let job = FlinkJob.fixture().deployed().status { $0.state = .failed }
        let result = plan(job, .available(.running(job.jobID)))
        #expect(result.status.state == .running)
        #expect(result.action == .none)
    }
}

@Suite struct UpgradePlanningTests {
    /// The job with a new spec, its artifact prepared (the reconcile before prepared it).
    func upgraded(_ deployed: FlinkJob, _ change: (inout FlinkJob) -> Void) -> FlinkJob {
        deployed.with { change(&$0); $0.metadata.generation = ($0.metadata.generation ?? 1) + 1 }.prepared()
    }

    @Test func argsChangeInSavepointModePreparesThenStopsWithASavepoint() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.args(["--rate", "20"])
        let preparing = plan(job, .available(.running(deployed.jobID)))
        #expect(preparing.action == .prepare(DeploySpec(job.spec)))
        #expect(preparing.status.state == .upgrading)
        #expect(preparing.condition(ConditionType.ready)?.status == .true, "the old job keeps serving while the new artifact is prepared")

        let result = settled(job, .available(.running(deployed.jobID)))
        let (request, stop) = try #require(result.savepointRequest)
        #expect(stop)
        #expect(request.reason == .upgrade)
        #expect(request.jobID == deployed.jobID)
        #expect(request.directory == "file:///savepoints")
        #expect(result.status.savepoints?.pending?.triggerId == request.triggerID)
        #expect(result.status.stop?.purpose == .upgrade)
        #expect(result.status.phase == .stopping)
        #expect(result.action.needsStatusFirst)
        #expect(result.status.state == .upgrading)
    }

    @Test func completedUpgradeSavepointIsRecordedAndTheNewSpecStartsFromItInTheSamePass() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--rate", "20"] }
        let stopping = plan(job, .available(.running(deployed.jobID))).applied(to: job)
        #expect(stopping.status?.phase == .stopping)
        let location = deployed.savepointPath("up")
        let redeploy = plan(
            stopping, .available(.ended(deployed.jobID, .finished), savepoint: .completed(location: location)),
            now: t0.addingTimeInterval(2))
        #expect(redeploy.status.savepoints?.pending == nil)
        #expect(redeploy.status.savepoints?.last?.location == location)
        #expect(redeploy.status.savepoints?.history?.map(\.location) == [location])
        let deployment = try #require(redeploy.deployment)
        #expect(deployment.sequence == 2)
        #expect(deployment.jobID == DeploymentIdentity.jobID(uid: "uid-1", sequence: 2))
        #expect(deployment.restorePath == location)
        #expect(deployment.reason == .upgrade)
        #expect(deployment.spec.args == ["--rate", "20"])
        #expect(redeploy.status.lastAppliedSpecHash == DeploySpec(job.spec).hash)
        #expect(redeploy.events.contains { $0.reason == "SavepointCompleted" })
    }

    @Test func aCompletedStopWaitsForFlinkToShowTheJobEnded() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--x"] }
        let stopping = plan(job, .available(.running(deployed.jobID))).applied(to: job)
        let location = deployed.savepointPath("a")
        let taken = plan(stopping, .available(.running(deployed.jobID), savepoint: .completed(location: location)))
        #expect(taken.deployment == nil, "the old job still runs: no second job")
        #expect(taken.status.stop?.savepoint == location)
        let redeploy = plan(taken.applied(to: stopping), .available(.ended(deployed.jobID, .finished)), now: t0.addingTimeInterval(1))
        #expect(try #require(redeploy.deployment).restorePath == location)
    }

    @Test func failedUpgradeSavepointDegradesRetriesWithBackoffAndNeverCancels() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--rate", "20"] }
        let stopping = plan(job, .available(.running(deployed.jobID))).applied(to: job)
        let failed = plan(stopping, .available(.running(deployed.jobID), savepoint: .failed(cause: "disk full")))
        #expect(failed.action == .none)
        #expect(failed.status.phase == .running)
        #expect(failed.condition(ConditionType.degraded)?.status == .true)
        #expect(failed.condition(ConditionType.degraded)?.reason == "SavepointFailed")
        #expect(failed.condition(ConditionType.degraded)?.message.contains("disk full") == true)
        #expect(failed.status.retry?.operation == .savepoint && failed.status.retry?.attempts == 1)
        #expect(failed.events.contains { $0.type == .warning && $0.reason == "SavepointFailed" })

        let waiting = plan(failed.applied(to: stopping), .available(.running(deployed.jobID)), now: t0.addingTimeInterval(5))
        #expect(waiting.action == .none)

        let retry = plan(failed.applied(to: stopping), .available(.running(deployed.jobID)), now: t0.addingTimeInterval(11))
        #expect(retry.savepointRequest?.stop == true)
        for candidate in [failed, waiting, retry] {
            if case .cancel = candidate.action { Issue.record("Savepoint mode must never cancel: \(candidate.action)") }
        }
    }

    @Test func crashLoopingJobIsUpgradedFromItsLatestCheckpointWhenRecoveryAllowsIt() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--fixed"] }
        var restarting = FlinkJobSnapshot.running(deployed.jobID)
        restarting.state = .restarting
        let cancelling = plan(job, .available(restarting))
        #expect(cancelling.action == .cancel(jobID: deployed.jobID))
        #expect(cancelling.status.stop?.restore == .checkpoint)
        let neverRecover = job.with { $0.spec.recovery.onFailure = .never }
        #expect(plan(neverRecover, .available(restarting)).savepointRequest?.stop == true)
        // Once cancelled, the new spec starts from the newest checkpoint Flink reports for the stopped job.
        let redeploy = plan(cancelling.applied(to: job), .available(.ended(deployed.jobID, .canceled)))
        #expect(try #require(redeploy.deployment).restorePath == deployed.checkpointPath(9))
    }

    @Test func statelessUpgradeCancelsAndStartsEmpty() throws {
        let deployed = FlinkJob.fixture().upgradeMode(.stateless).deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--new"] }
        let cancelling = plan(job, .available(.running(deployed.jobID)))
        #expect(cancelling.action == .cancel(jobID: deployed.jobID))
        let redeploy = plan(cancelling.applied(to: job), .available(.ended(deployed.jobID, .canceled)))
        let deployment = try #require(redeploy.deployment)
        #expect(deployment.restorePath == nil)
        #expect(deployment.sequence == 2)
        #expect(redeploy.status.failures == nil, "a cancel the operator asked for is not a failure")
    }

    @Test func lastStateUpgradeCancelsAndStartsFromTheLatestCheckpoint() throws {
        let deployed = FlinkJob.fixture().upgradeMode(.lastState).deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--new"] }
        let cancelling = plan(job, .available(.running(deployed.jobID)))
        #expect(cancelling.action == .cancel(jobID: deployed.jobID))
        let redeploy = plan(cancelling.applied(to: job), .available(.ended(deployed.jobID, .canceled)))
        #expect(try #require(redeploy.deployment).restorePath == deployed.checkpointPath(9))
    }

    @Test func aCancelThatFlinkHasNotActedOnIsSentAgain() {
        let deployed = FlinkJob.fixture().upgradeMode(.stateless).deployed()
        let job = upgraded(deployed) { $0.spec.args = ["--new"] }
        let cancelling = plan(job, .available(.running(deployed.jobID))).applied(to: job)
        let again = plan(cancelling, .available(.running(deployed.jobID)), now: t0.addingTimeInterval(3))
        #expect(again.action == .cancel(jobID: deployed.jobID))
        #expect(again.deployment == nil)
    }

    @Test func restartNonceRestartsTheJobLikeAnUpgrade() {
        let deployed = FlinkJob.fixture().deployed()
        let job = upgraded(deployed) { $0.spec.restartNonce = 1 }
        #expect(plan(job, .available(.running(deployed.jobID))).savepointRequest?.request.reason == .upgrade)
    }

    @Test func fieldsThatNeedNoRedeployDoNotTriggerOne() {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.with {
            $0.spec.deletePolicy = .cancel
            $0.spec.recovery.backoffLimit = 9
            $0.spec.savepoints = .init(historyLimit: 2)
            $0.spec.rollback.enabled = true
            $0.spec.allowNonRestoredState = true
        }
        #expect(plan(job, .available(.running(deployed.jobID))).action == .none)
    }

    @Test func parallelismOnlyChangeRescalesInPlaceOnAnAdaptiveCluster() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.parallelism(4)
        let result = plan(job, .available(.running(deployed.jobID), adaptive: true))
        #expect(result.action == .rescale(jobID: deployed.jobID, parallelism: 4))
        let recorded = JobPlanner().record(.done, of: result, input: PlannerInput(
            job: job, observation: .available(.running(deployed.jobID), adaptive: true), now: t0))
        #expect(recorded.status.lastAppliedSpecHash == DeploySpec(job.spec).hash)
        let steady = plan(recorded.applied(to: job), .available(.running(deployed.jobID, tasks: 4, parallelism: 4), adaptive: true))
        #expect(steady.action == .none)
        #expect(steady.status.parallelism == 4)
    }

    @Test func parallelismChangeOnADefaultSchedulerClusterIsASavepointUpgrade() {
        let deployed = FlinkJob.fixture().deployed()
        let result = settled(deployed.parallelism(4), .available(.running(deployed.jobID), adaptive: false))
        #expect(result.savepointRequest?.stop == true)
    }

    @Test func parallelismAndArgsChangeTogetherIsAnUpgradeEvenOnAnAdaptiveCluster() {
        let deployed = FlinkJob.fixture().deployed()
        let result = settled(deployed.parallelism(4).args(["--x"]), .available(.running(deployed.jobID), adaptive: true))
        #expect(result.savepointRequest?.stop == true)
    }
}

@Suite struct SavepointPlanningTests {
    func pending(_ job: FlinkJob, _ reason: FlinkJobStatus.SavepointReason, at date: Date = t0) -> FlinkJobStatus.SavepointStatus.PendingSavepoint {
        let started = KubeTime(date)
        return .init(
            triggerId: DeploymentIdentity.triggerID(jobID: job.jobID, reason: reason, startedAtSeconds: started.secondsSince1970),
            reason: reason, startedAt: started, jobId: job.jobID, stop: false)
    }

    @Test func manualSavepointNonceTriggersExactlyOnce() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.with { $0.spec.savepointNonce = 1 }
        let triggered = plan(job, .available(.running(deployed.jobID)))
        let (request, stop) = try #require(triggered.savepointRequest)
        #expect(!stop && request.reason == .manual)
        #expect(triggered.status.savepoints?.lastNonce == 1)
        let done = plan(triggered.applied(to: job), .available(.running(deployed.jobID), savepoint: .completed(location: deployed.savepointPath("m"))))
        let after = plan(done.applied(to: job), .available(.running(deployed.jobID)))
        #expect(after.savepointRequest == nil)
        #expect(after.action == .none)
    }

    @Test func periodicSavepointIsTakenWhenTheIntervalHasPassed() throws {
        let deployed = FlinkJob.fixture().deployed().with { $0.spec.savepoints = .init(periodicInterval: "10m") }
        let started = t0.addingTimeInterval(-300)
        #expect(plan(deployed, .available(.running(deployed.jobID, started: started))).action == .none)
        let due = plan(deployed, .available(.running(deployed.jobID, started: started)), now: t0.addingTimeInterval(301))
        #expect(due.savepointRequest?.request.reason == .periodic)
    }

    @Test func savepointStillInProgressAfterTheTimeoutCountsAsFailed() {
        let base = FlinkJob.fixture().deployed()
        let job = base.status { $0.savepoints = .init(pending: pending(base, .periodic)) }
        let waiting = plan(job, .available(.running(job.jobID), savepoint: .inProgress), now: t0.addingTimeInterval(60))
        #expect(waiting.status.savepoints?.pending != nil)
        let timedOut = plan(job, .available(.running(job.jobID), savepoint: .inProgress), now: t0.addingTimeInterval(1000))
        #expect(timedOut.status.savepoints?.pending == nil)
        #expect(timedOut.condition(ConditionType.degraded)?.reason == "SavepointFailed")
    }

    @Test func aTriggerInStatusThatTheOperatorDidNotDeriveIsIgnored() {
        let job = FlinkJob.fixture().deployed().status {
            $0.savepoints = .init(pending: .init(triggerId: "0123456789abcdef0123456789abcdef", reason: .periodic, startedAt: KubeTime(t0)))
        }
        let result = plan(job, .available(.running(job.jobID), savepoint: .completed(location: "file:///elsewhere/x")))
        #expect(result.status.savepoints?.last == nil)
        #expect(result.events.contains { $0.reason == "StatusInvalid" })
    }

    @Test func historyIsPrunedToItsLimitAndMaxAgeAndOnlyTheJobsOwnSavepointsAreDisposed() throws {
        let base = FlinkJob.fixture().deployed()
        let old = (1...4).map {
            FlinkJobStatus.SavepointRecord(
                location: base.savepointPath("old\($0)"), time: KubeTime(t0.addingTimeInterval(Double(-$0) * 3600)), reason: .periodic)
        }
        let foreign = FlinkJobStatus.SavepointRecord(location: "file:///savepoints/savepoint-ffffff-x", time: KubeTime(t0.addingTimeInterval(-20000)), reason: .periodic)
        let job = base
            .with { $0.spec.savepoints = .init(historyLimit: 3, maxAge: "150m") }
            .status { $0.savepoints = .init(last: old[0], history: old + [foreign], pending: pending(base, .periodic)) }
        let location = base.savepointPath("new")
        let result = plan(job, .available(.running(job.jobID), savepoint: .completed(location: location)))
        #expect(result.status.savepoints?.history?.map(\.location) == [location, old[0].location, old[1].location])
        #expect(result.action == .disposeSavepoints([old[2].location, old[3].location]))
        let disposed = JobPlanner().record(.done, of: result, input: PlannerInput(job: job, observation: .available(.running(job.jobID)), now: t0))
        #expect(disposed.status.savepoints?.disposals == nil)
    }
}

@Suite struct SuspendPlanningTests {
    @Test func suspendInSavepointModeStopsWithSavepointAndResumeStartsFromIt() throws {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.suspended()
        let stopping = plan(job, .available(.running(deployed.jobID)))
        #expect(stopping.savepointRequest?.stop == true)
        #expect(stopping.savepointRequest?.request.reason == .suspend)
        #expect(stopping.status.state == .suspending)

        let location = deployed.savepointPath("s")
        let suspended = plan(stopping.applied(to: job),
                             .available(.ended(deployed.jobID, .finished), savepoint: .completed(location: location)))
        #expect(suspended.status.state == .suspended)
        #expect(suspended.status.phase == .suspended)
        #expect(suspended.action == .none)
        #expect(suspended.condition(ConditionType.ready)?.reason == "Suspended")

        let resumed = settled(suspended.applied(to: job).with { $0.spec.state = .running }, .available(.ended(deployed.jobID, .finished)))
        let deployment = try #require(resumed.deployment)
        #expect(deployment.restorePath == location, "the savepoint the suspend took is the newest state")
        #expect(deployment.reason == .resume)
    }

    @Test func suspendInStatelessModeCancels() {
        let deployed = FlinkJob.fixture().upgradeMode(.stateless).deployed()
        #expect(plan(deployed.suspended(), .available(.running(deployed.jobID))).action == .cancel(jobID: deployed.jobID))
    }
}

@Suite struct DeletionPlanningTests {
    @Test func deletingJobWithSavepointPolicyStopsWithSavepointFirst() {
        let job = FlinkJob.fixture().deployed().deleting()
        let result = plan(job, .available(.running(job.jobID)))
        #expect(result.savepointRequest?.stop == true)
        #expect(result.savepointRequest?.request.reason == .delete)
        #expect(result.status.state == .deleting)
    }

    @Test func theFinalizerGoesOnceTheDeleteSavepointIsTaken() {
        let job = FlinkJob.fixture().deployed().deleting()
        let stopping = plan(job, .available(.running(job.jobID))).applied(to: job)
        let done = plan(stopping, .available(.ended(job.jobID, .finished), savepoint: .completed(location: job.savepointPath("d"))))
        #expect(done.action == .removeFinalizer)
    }

    @Test func deletePolicySavepointLeavesAFinalSavepointWhateverTheUpgradeMode() {
        // LastState: the CRD promises a final savepoint on delete; the upgrade mode only decides upgrades.
        let lastState = FlinkJob.fixture().deployed().deleting().with { $0.spec.upgradeMode = .lastState }
        #expect(plan(lastState, .available(.running(lastState.jobID))).savepointRequest?.stop == true)
        // Stateless with a savepoint directory (its own, or the cluster's default): a savepoint too.
        let stateless = FlinkJob.fixture().deployed().deleting().with { $0.spec.upgradeMode = .stateless }
        #expect(plan(stateless, .available(.running(stateless.jobID))).savepointRequest?.stop == true)
        let clusterDefault = stateless.with { $0.spec.savepoints = nil }
        #expect(plan(clusterDefault, .available(.running(clusterDefault.jobID))).savepointRequest?.request.directory == "file:///savepoints")
    }

    @Test func deletingJobWithCancelPolicyCancels() {
        let job = FlinkJob.fixture().deployed().deleting().with { $0.spec.deletePolicy = .cancel }
        #expect(plan(job, .available(.running(job.jobID))).action == .cancel(jobID: job.jobID))
    }

    @Test func deletingStoppedJobRemovesTheFinalizer() {
        let job = FlinkJob.fixture().deployed().deleting()
        #expect(plan(job, .available(.ended(job.jobID, .finished))).action == .removeFinalizer)
    }

    @Test func deletingAJobThatNeverStartedRemovesTheFinalizerEvenWithoutCluster() {
        #expect(plan(FlinkJob.fixture().deleting(), .available()).action == .removeFinalizer)
        #expect(plan(FlinkJob.fixture().deleting(), .init(cluster: .unavailable(reason: "down"))).action == .removeFinalizer)
        #expect(plan(FlinkJob.fixture().deleting(), .init(cluster: .missing)).action == .removeFinalizer)
    }

    @Test func aHoldOnAMissingClusterIsReleasedOnlyByItsOwnToken() throws {
        let job = FlinkJob.fixture().deployed().deleting()
        let held = plan(job, .init(cluster: .missing))
        let token = try #require(held.status.hold?.token)
        #expect(held.status.hold?.message.contains("release-hold=\(token)") == true)
        let stale = held.applied(to: job).with { $0.metadata.annotations = [FlinkJobStatus.Hold.releaseAnnotation: "old-token"] }
        #expect(plan(stale, .init(cluster: .missing)).action != .removeFinalizer)
        let released = held.applied(to: job).with { $0.metadata.annotations = [FlinkJobStatus.Hold.releaseAnnotation: token] }
        #expect(plan(released, .init(cluster: .missing)).action == .removeFinalizer)
    }

    @Test func deletingWhileTheClusterIsUnreachableWaits() {
        let job = FlinkJob.fixture().deployed().deleting()
        let result = plan(job, .init(cluster: .unavailable(reason: "connection refused")))
        #expect(result.action == .none)
        #expect(result.condition(ConditionType.degraded)?.status == .true)
    }

    @Test func deletingWithoutAnyKnownSavepointDirectoryHoldsInsteadOfRetryingForever() throws {
        let job = FlinkJob.fixture().deployed().deleting()
        let noDirectory = JobObservation(cluster: .available(.init()), job: .running(job.jobID))
        let held = plan(job, noDirectory)
        #expect(held.status.hold?.reason == .noSavepointDirectory)
        #expect(held.action == .none)
        let token = try #require(held.status.hold?.token)
        let released = held.applied(to: job).with { $0.metadata.annotations = [FlinkJobStatus.Hold.releaseAnnotation: token] }
        #expect(plan(released, noDirectory).action == .cancel(jobID: job.jobID))
    }
}

@Suite struct FaultPlanningTests {
    @Test func unreachableClusterSetsUnknownAndNeverTouchesTheJob() {
        let deployed = FlinkJob.fixture().deployed()
        for job in [deployed, deployed.args(["--new"]), deployed.suspended()] {
            let result = plan(job, .init(cluster: .unavailable(reason: "connection refused")))
            #expect(result.action == .none)
            #expect(result.condition(ConditionType.ready)?.status == .unknown)
            #expect(result.condition(ConditionType.degraded)?.status == .true)
            #expect(result.requeueAfter == .seconds(10))
        }
    }

    @Test func invalidSpecIsReportedOnceAndTheRunningJobIsLeftAlone() {
        let deployed = FlinkJob.fixture().deployed()
        let job = deployed.args(["--new"])
        let running = plan(deployed, .available(.running(deployed.jobID))).applied(to: job)
        let result = plan(running, .available(.running(deployed.jobID)), errors: ["parallelism 9 exceeds quota 4"])
        #expect(result.action == .none)
        #expect(result.condition(ConditionType.ready)?.reason == "InvalidSpec")
        #expect(result.condition(ConditionType.ready)?.message == "parallelism 9 exceeds quota 4")
        #expect(result.events == [JobEvent(.warning, reason: "InvalidSpec", action: "Validate", note: "parallelism 9 exceeds quota 4")])
        let again = plan(result.applied(to: job), .available(.running(deployed.jobID)), errors: ["parallelism 9 exceeds quota 4"])
        #expect(again.events.isEmpty)
    }

    @Test func missingClusterIsReportedWithoutAction() {
        let result = plan(FlinkJob.fixture(), .init(cluster: .missing))
        #expect(result.action == .none)
        #expect(result.condition(ConditionType.ready)?.reason == "ClusterNotFound")
    }

    @Test func failedJobIsRecoveredFromItsLatestCheckpointAfterBackoff() throws {
        let job = FlinkJob.fixture().deployed()
        let failedSnapshot = FlinkJobSnapshot.ended(job.jobID, .failed, cause: "java.lang.RuntimeException: boom")
        let first = plan(job, .available(failedSnapshot))
        #expect(first.action == .none)
        #expect(first.status.failures?.count == 1)
        #expect(first.condition(ConditionType.degraded)?.message.contains("boom") == true)
        #expect(first.status.pendingDeploy?.restorePath == job.checkpointPath(9), "decided while Flink still reports the failed job's checkpoint")
        let stillWaiting = plan(first.applied(to: job), .available(failedSnapshot), now: t0.addingTimeInterval(5))
        #expect(stillWaiting.action == .none)
        #expect(stillWaiting.status.failures?.count == 1)
        let retry = plan(first.applied(to: job), .available(failedSnapshot), now: t0.addingTimeInterval(11))
        let deployment = try #require(retry.deployment)
        #expect(deployment.reason == .recovery)
        #expect(deployment.sequence == 2)
        #expect(deployment.restorePath == job.checkpointPath(9))
    }

    @Test func failuresBeyondTheBackoffLimitLeaveTheJobFailed() {
        let job = FlinkJob.fixture().deployed().status { $0.failures = .init(count: 3, lastTime: KubeTime(t0.addingTimeInterval(-1000))) }
        let result = plan(job, .available(.ended(job.jobID, .failed, cause: "boom")))
        #expect(result.action == .none)
        #expect(result.status.state == .failed)
        #expect(result.condition(ConditionType.ready)?.reason == "BackoffLimitExceeded")
        let later = plan(result.applied(to: job), .available(.ended(job.jobID, .failed)), now: t0.addingTimeInterval(10_000))
        #expect(later.action == .none)
        let fixed = settled(result.applied(to: job).args(["--fixed"]), .available(.ended(job.jobID, .failed)))
        #expect(fixed.deployment?.reason == .upgrade)
        #expect(fixed.status.failures == nil)
    }

    @Test func neverRecoverLeavesAFailedJobFailed() {
        let job = FlinkJob.fixture().deployed().with { $0.spec.recovery.onFailure = .never }
        let result = plan(job, .available(.ended(job.jobID, .failed, cause: "boom")))
        #expect(result.action == .none)
        #expect(result.status.state == .failed)
    }

    @Test func jobLostByTheJobManagerIsResubmittedFromTheNewestProvenState() throws {
        let base = FlinkJob.fixture().deployed()
        let job = base.status {
            $0.savepoints = .init(last: .init(location: base.savepointPath("old"), time: KubeTime(t0.addingTimeInterval(-900)), reason: .periodic, checkpointId: 2))
            $0.checkpoints = .init(lastCompleted: .init(id: 3, time: KubeTime(t0.addingTimeInterval(-30)), path: base.checkpointPath(3)))
        }
        var observation = JobObservation.available(nil)
        observation.retainedCheckpoint = .init(id: 3, time: KubeTime(t0.addingTimeInterval(-30)), path: base.checkpointPath(3))
        let result = plan(job, observation)
        let deployment = try #require(result.deployment)
        #expect(deployment.reason == .lostJob)
        #expect(deployment.sequence == 2)
        #expect(deployment.restorePath == base.checkpointPath(3))
        #expect(result.events.contains { $0.reason == "JobLost" })
    }

    @Test func newerRetainedCheckpointInStorageIsPreferredOverTheRecordedOne() throws {
        let base = FlinkJob.fixture().deployed()
        let job = base.status {
            $0.checkpoints = .init(lastCompleted: .init(id: 3, time: KubeTime(t0.addingTimeInterval(-30)), path: base.checkpointPath(3)))
        }
        var observation = JobObservation.available(nil)
        observation.retainedCheckpoint = .init(id: 9, time: KubeTime(t0.addingTimeInterval(-2)), path: base.checkpointPath(9))
        #expect(try #require(plan(job, observation).deployment).restorePath == base.checkpointPath(9))
    }

    @Test func aRetainedCheckpointFromTheSameSecondWinsByItsHigherID() throws {
        // Checkpoints every 500 ms: the recorded chk-8 and the retained chk-9 carry the same whole second, and
        // Flink deleted chk-8 when chk-9 subsumed it.
        let second = KubeTime(t0.addingTimeInterval(-5))
        let base = FlinkJob.fixture().deployed()
        let job = base.status { $0.checkpoints = .init(lastCompleted: .init(id: 8, time: second, path: base.checkpointPath(8))) }
        var observation = JobObservation.available(nil)
        observation.retainedCheckpoint = .init(id: 9, time: second, path: base.checkpointPath(9))
        #expect(try #require(plan(job, observation).deployment).restorePath == base.checkpointPath(9))
        // Even when the directory's time reads older than Flink's acknowledgement time.
        observation.retainedCheckpoint?.time = KubeTime(t0.addingTimeInterval(-6))
        #expect(try #require(plan(job, observation).deployment).restorePath == base.checkpointPath(9))
    }

    @Test func restorePathFlinkCouldNotFindIsSkippedAndItsFailureCountedOnce() throws {
        let base = FlinkJob.fixture().deployed(flinkState: nil, submitted: t0.addingTimeInterval(-20))
        let older = base.savepointPath("older")
        let job = base.status {
            $0.savepoints = .init(last: .init(location: older, time: KubeTime(t0.addingTimeInterval(-900)), reason: .periodic, checkpointId: 4))
            $0.checkpoints = .init(lastCompleted: .init(id: 7, time: KubeTime(t0.addingTimeInterval(-30)), path: base.checkpointPath(7)))
            $0.job?.restoredFrom = base.checkpointPath(7)
            $0.job?.submission = .accepted
            $0.failures = .init(
                count: 1, lastTime: KubeTime(t0.addingTimeInterval(-19)),
                lastMessage: "JobInitializationException: Could not start the JobMaster. Caused by: java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory '\(base.checkpointPath(7))' on file system 'file'.",
                lastJobId: base.jobID)
        }
        // Flink failed the job itself while restoring: counted once, when the submission was refused.
        let stray = FlinkJobSnapshot(id: job.jobID, state: .failed, failureCause: "Cannot find checkpoint")
        let result = plan(job, .available(stray), now: t0.addingTimeInterval(30))
        #expect(result.status.failures?.count == 1)
        let deployment = try #require(result.deployment)
        #expect(deployment.restorePath == older)
    }

    @Test func finishedJobThatFlinkForgotIsNotResubmitted() {
        let job = FlinkJob.fixture().deployed(flinkState: .finished)
        #expect(plan(job, .available(nil)).deployment == nil)
    }

    @Test func submissionRefusalsAreJobFailuresAndStopAtTheBackoffLimit() throws {
        let job = FlinkJob.fixture().with { $0.spec.recovery.backoffLimit = 1 }
        var current = job
        var last = settled(current, .available())
        for attempt in 1...2 {
            _ = try #require(last.deployment)
            last = JobPlanner().record(.submissionFailed(message: "ClassNotFoundException: com.example.Orders"), of: last, job: current, now: t0)
            current = last.applied(to: job)
            #expect(current.status?.failures?.count == attempt)
            last = settled(current, .available(nil), now: t0.addingTimeInterval(Double(attempt) * 1000))
        }
        #expect(current.status?.state == .failed)
        #expect(last.action == .none)
    }

    @Test func transientSubmissionFailuresAreNotJobFailures() throws {
        let job = FlinkJob.fixture().with { $0.spec.recovery.backoffLimit = 0 }
        var current = job
        var last = settled(current, .available())
        for _ in 1...5 {
            _ = try #require(last.deployment)
            last = JobPlanner().record(.submissionInDoubt(message: "HTTP 503"), of: last, job: current, now: t0)
            current = last.applied(to: job)
            #expect((current.status?.failures?.count ?? 0) == 0)
            #expect(current.status?.phase == .deploying)
            last = plan(current, .available(nil), now: t0.addingTimeInterval(1000))
        }
        #expect(current.status?.conditions?.first { $0.type == ConditionType.degraded }?.reason == "FlinkUnavailable")
        #expect(last.deployment?.jobID == DeploymentIdentity.jobID(uid: "uid-1", sequence: 1), "the same id, again")
    }

    @Test func adoptedSubmissionIsReported() {
        let job = FlinkJob.fixture()
        let deploy = settled(job, .available())
        let recorded = JobPlanner().record(.submitted(adopted: true), of: deploy, job: job, now: t0)
        #expect(recorded.events.contains { $0.reason == "JobAdopted" })
    }
}

@Suite struct RollbackPlanningTests {
    @Test func upgradeThatIsNotReadyInTimeIsRolledBackToTheLastStableSpec() throws {
        let stable = FlinkJob.fixture().deployed()
        let stableSpec = DeploySpec(stable.spec)
        let job = stable.with {
            $0.spec.rollback = .init(enabled: true, readinessTimeout: "2m")
            $0.spec.args = ["--broken"]
        }
        // The upgrade happened (sequence 2 runs the broken spec) and its tasks never all run.
        let upgraded = job.deployed(sequence: 2, flinkState: .running, submitted: t0.addingTimeInterval(-60)).status {
            $0.lastStableSpec = try? JSONValue(encoding: stableSpec)
            $0.lastStableSpecHash = stableSpec.hash
        }
        var stuck = FlinkJobSnapshot.running(upgraded.jobID)
        stuck.tasks = .init(total: 2, running: 0, pending: 2)
        stuck.lastCompletedCheckpoint = nil
        #expect(plan(upgraded, .available(stuck)).status.rollback == nil)
        let rolling = plan(upgraded, .available(stuck), now: t0.addingTimeInterval(61))
        #expect(rolling.status.rollback?.failedSpecHash == DeploySpec(job.spec).hash)
        #expect(rolling.events.contains { $0.reason == "RollingBack" })

        let stopping = settled(rolling.applied(to: upgraded), .available(stuck), now: t0.addingTimeInterval(62))
        if case .cancel = stopping.action {} else { Issue.record("a job that never ran is cancelled for the rollback: \(stopping.action)") }
        let redeploy = settled(stopping.applied(to: upgraded), .available(.ended(upgraded.jobID, .canceled)), now: t0.addingTimeInterval(70))
        let deployment = try #require(redeploy.deployment)
        #expect(deployment.spec.args == ["--rate", "10"])
        #expect(redeploy.status.state == .upgrading)

        // A new spec from the user clears the rollback.
        let fixed = plan(redeploy.applied(to: upgraded).args(["--fixed"]), .available(.running(deployment.jobID)))
        #expect(fixed.status.rollback == nil)
    }
}
