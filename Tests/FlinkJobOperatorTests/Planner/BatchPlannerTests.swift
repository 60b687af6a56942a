import FlinkREST
import Foundation
import Kubernetes
import Testing

@testable import FlinkJobOperator

extension FlinkJob {
    /// A one-shot batch job (no schedule).
    static func batchFixture(_ batch: FlinkJobSpec.Batch = .init()) -> FlinkJob {
        FlinkJob.fixture(name: "nightly").with {
            $0.spec.type = .batch
            $0.spec.batch = batch
        }
    }

    /// Status as if run `run` was started at `started` and is active.
    func runActive(_ run: Int64, started: Date = t0.addingTimeInterval(-60), seen: Bool = true) -> FlinkJob {
        status {
            let id = DeploymentIdentity.runJobID(uid: "uid-1", run: run)
            var runs = $0.runs ?? .init()
            runs.count = max(runs.count ?? 0, run)
            runs.active = (runs.active ?? []) + [.init(run: run, jobId: id, startTime: KubeTime(started), flinkState: seen ? "RUNNING" : nil)]
            $0.runs = runs
            $0.job = .init(id: id)
            $0.deploySequence = run
            $0.lastAppliedSpecHash = DeploySpec(spec).hash
        }
    }

    func runID(_ run: Int64) -> String { DeploymentIdentity.runJobID(uid: "uid-1", run: run) }
}

@Suite struct OneShotBatchPlanningTests {
    @Test func firstPassStartsRunOneUnderItsOwnDeterministicId() throws {
        let job = FlinkJob.batchFixture()
        let result = plan(job, .available())
        let deployment = try #require(result.deployment)
        #expect(deployment.jobID == job.runID(1))
        #expect(deployment.restorePath == nil)
        #expect(result.status.runs?.count == 1)
        #expect(result.status.runs?.active?.map(\.jobId) == [job.runID(1)])
        #expect(result.action.needsStatusFirst)
    }

    @Test func finishedRunMakesTheJobSucceededAndNothingMoreRuns() {
        let job = FlinkJob.batchFixture().runActive(1)
        let result = plan(job, .available(runs: [job.runID(1): .ended(job.runID(1), .finished)]))
        #expect(result.action == .none)
        #expect(result.status.runs?.active == nil)
        #expect(result.status.runs?.history?.first?.result == .succeeded)
        #expect(result.status.state == .succeeded)
        #expect(result.condition(ConditionType.succeeded)?.status == .true)
        let later = plan(result.applied(to: job), .available(), now: t0.addingTimeInterval(3600))
        #expect(later.action == .none)
    }

    @Test func failedRunIsRetriedWithBackoffThenReportedWithFlinksMessage() throws {
        let job = FlinkJob.batchFixture().with { $0.spec.recovery.backoffLimit = 1 }.runActive(1)
        let cause = "java.lang.IllegalStateException: BatchJob failed on purpose"
        let failed = plan(job, .available(runs: [job.runID(1): .ended(job.runID(1), .failed, cause: cause)]))
        #expect(failed.status.runs?.history?.first?.result == .failed)
        #expect(failed.status.runs?.history?.first?.message == cause)
        #expect(failed.action == .none)  // backoff first

        let retry = plan(failed.applied(to: job), .available(), now: t0.addingTimeInterval(11))
        #expect(try #require(retry.deployment).jobID == job.runID(2))

        let failedAgain = plan(retry.applied(to: job), .available(runs: [job.runID(2): .ended(job.runID(2), .failed, cause: cause)]),
                               now: t0.addingTimeInterval(20))
        let final = plan(failedAgain.applied(to: job), .available(), now: t0.addingTimeInterval(1000))
        #expect(final.action == .none)
        #expect(final.status.state == .failed)
        #expect(final.condition(ConditionType.succeeded)?.status == .false)
        #expect(final.condition(ConditionType.succeeded)?.message.contains("BatchJob failed on purpose") == true)
    }

    @Test func runBeyondItsActiveDeadlineIsCancelled() {
        let job = FlinkJob.batchFixture(.init(activeDeadlineSeconds: 30)).with { $0.spec.recovery.onFailure = .never }.runActive(1, started: t0.addingTimeInterval(-31))
        let result = plan(job, .available(runs: [job.runID(1): .running(job.runID(1))]))
        #expect(result.action == .cancel(jobID: job.runID(1)))
        #expect(result.status.runs?.active?.first?.cancelling == .deadlineExceeded, "tracked until Flink shows it ended")
        #expect(result.events.contains { $0.reason == "DeadlineExceeded" })
        let cancelled = plan(result.applied(to: job), .available(runs: [job.runID(1): .ended(job.runID(1), .canceled)]))
        #expect(cancelled.status.runs?.history?.first?.result == .deadlineExceeded)
        #expect(cancelled.status.runs?.active == nil)
        let after = plan(cancelled.applied(to: job), .available())
        #expect(after.condition(ConditionType.succeeded)?.reason == "DeadlineExceeded")
        #expect(after.action == .none)
    }

    @Test func runSubmittedButNeverSeenIsSubmittedAgainUnderTheSameId() throws {
        let job = FlinkJob.batchFixture().runActive(1, seen: false)
        let result = plan(job, .available())
        let deployment = try #require(result.deployment)
        #expect(deployment.jobID == job.runID(1))
        #expect(result.status.runs?.count == 1)
    }

    @Test func specChangeAfterCompletionStartsANewRun() throws {
        let job = FlinkJob.batchFixture().runActive(1)
        let done = plan(job, .available(runs: [job.runID(1): .ended(job.runID(1), .finished)])).applied(to: job)
        let rerun = plan(done.args(["--records", "5000"]), .available())
        #expect(try #require(rerun.deployment).jobID == job.runID(2))
    }

    @Test func submissionFailureOfARunEndsThatRun() {
        let job = FlinkJob.batchFixture()
        let start = plan(job, .available())
        let recorded = JobPlanner().record(.submissionFailed(message: "ClassNotFoundException"), of: start, job: job, now: t0)
        #expect(recorded.status.runs?.active == nil)
        #expect(recorded.status.runs?.history?.first?.message?.contains("ClassNotFoundException") == true)
    }
}

@Suite struct ScheduledBatchPlanningTests {
    func scheduled(_ batch: FlinkJobSpec.Batch) -> FlinkJob { FlinkJob.batchFixture(batch) }

    @Test func controllerThatWasDownStartsOnlyTheLatestMissedRun() throws {
        // Created an hour ago; every 5 minutes; nothing ran yet.
        let job = scheduled(.init(schedule: "*/5 * * * *"))
        let result = plan(job, .available())
        let deployment = try #require(result.deployment)
        #expect(deployment.jobID == job.runID(1))
        #expect(result.status.runs?.lastScheduleTime == KubeTime(t0))
        #expect(result.status.runs?.missedCount == 11)
        #expect(result.status.runs?.nextScheduleTime == KubeTime(t0.addingTimeInterval(300)))
    }

    @Test func aControllerAwayForDaysStartsOneRunForTheNewestTimeNotABurst() throws {
        // Every minute, created three days ago (or resumed after three days suspended): over 4,000 times passed.
        // The fault simulation found this: the newest time was taken from the first 1,000 only, so each pass
        // found "newer" stale times and Replace cancelled and restarted a run on every pass.
        let job = scheduled(.init(schedule: "* * * * *", concurrencyPolicy: .replace))
            .with { $0.metadata.creationTimestamp = KubeTime(t0.addingTimeInterval(-3 * 86_400)) }
        let start = plan(job, .available())
        #expect(start.deployment?.jobID == job.runID(1))
        #expect(start.status.runs?.lastScheduleTime == KubeTime(t0))
        #expect(start.status.runs?.missedCount == 999)
        #expect(start.events.contains { $0.note.contains("more than 999 schedule time(s) passed") })
        let running = start.applied(to: job)
        let next = plan(running, .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(5))
        #expect(next.action == .none, "the run for the newest time is not replaced before the next time")
        #expect(next.status.runs?.active?.map(\.run) == [1])
    }

    @Test func notYetDueWaitsUntilTheNextTime() {
        let job = scheduled(.init(schedule: "*/5 * * * *")).status { $0.runs = .init(count: 1, lastScheduleTime: KubeTime(t0)) }
        let result = plan(job, .available(), now: t0.addingTimeInterval(100))
        #expect(result.action == .none)
        #expect(result.status.state == .scheduled)
        #expect(result.status.runs?.nextScheduleTime == KubeTime(t0.addingTimeInterval(300)))
        #expect(result.requeueAfter == .seconds(60))
        let close = plan(job, .available(), now: t0.addingTimeInterval(290))
        #expect(close.requeueAfter == .seconds(10))
    }

    @Test func forbidSkipsWhileARunIsActive() {
        let job = scheduled(.init(schedule: "*/5 * * * *", concurrencyPolicy: .forbid))
            .status { $0.runs = .init(count: 1, lastScheduleTime: KubeTime(t0)) }
            .runActive(1, started: t0)
        let result = plan(job, .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(301))
        #expect(result.action == .none)
        #expect(result.status.runs?.missedCount == 1)
        #expect(result.status.runs?.active?.count == 1)
        #expect(result.events.contains { $0.reason == "RunSkipped" })
        let next = plan(result.applied(to: job), .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(302))
        #expect(next.status.runs?.missedCount == 1)
    }

    @Test func replaceCancelsTheActiveRunThenStartsTheNewOne() throws {
        let job = scheduled(.init(schedule: "*/5 * * * *", concurrencyPolicy: .replace))
            .status { $0.runs = .init(count: 1, lastScheduleTime: KubeTime(t0)) }
            .runActive(1, started: t0)
        let cancel = plan(job, .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(301))
        #expect(cancel.action == .cancel(jobID: job.runID(1)))
        #expect(cancel.status.runs?.active?.first?.cancelling == .canceled)
        // Until Flink shows the old run ended, the new one does not start (no two runs behind Replace's back).
        let stillRunning = plan(cancel.applied(to: job), .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(302))
        #expect(stillRunning.deployment == nil)
        let start = plan(cancel.applied(to: job), .available(runs: [job.runID(1): .ended(job.runID(1), .canceled)]), now: t0.addingTimeInterval(303))
        #expect(try #require(start.deployment).jobID == job.runID(2))
        #expect(start.status.runs?.history?.first?.result == .canceled)
    }

    @Test func allowRunsConcurrently() throws {
        let job = scheduled(.init(schedule: "*/5 * * * *", concurrencyPolicy: .allow))
            .status { $0.runs = .init(count: 1, lastScheduleTime: KubeTime(t0)) }
            .runActive(1, started: t0)
        let result = plan(job, .available(runs: [job.runID(1): .running(job.runID(1))]), now: t0.addingTimeInterval(301))
        #expect(try #require(result.deployment).jobID == job.runID(2))
        #expect(result.status.runs?.active?.count == 2)
    }

    @Test func scheduleTimeOlderThanTheStartingDeadlineIsSkippedAndCounted() {
        let job = scheduled(.init(schedule: "0 * * * *", startingDeadlineSeconds: 60))
            .status { $0.runs = .init(count: 1, lastScheduleTime: KubeTime(t0)) }
        let result = plan(job, .available(), now: t0.addingTimeInterval(3600 + 120))
        #expect(result.action == .none)
        #expect(result.status.runs?.missedCount == 1)
        #expect(result.status.runs?.lastMissedTime == KubeTime(t0.addingTimeInterval(3600)))
        let inTime = plan(job, .available(), now: t0.addingTimeInterval(3600 + 30))
        #expect(inTime.deployment != nil)
    }

    @Test func maxRunsEndsTheSchedule() {
        let job = scheduled(.init(schedule: "*/5 * * * *", maxRuns: 2)).status {
            $0.runs = .init(count: 2, lastScheduleTime: KubeTime(t0), history: [
                .init(run: 2, jobId: "b", startTime: KubeTime(t0), endTime: KubeTime(t0), result: .succeeded),
            ])
        }
        let result = plan(job, .available(), now: t0.addingTimeInterval(3600))
        #expect(result.action == .none)
        #expect(result.status.state == .succeeded)
        #expect(result.condition(ConditionType.succeeded)?.reason == "MaxRunsReached")
        #expect(result.status.runs?.nextScheduleTime == nil)
    }

    @Test func suspendedScheduleStartsNothingAndResumingDoesNotReplayOldRuns() throws {
        let job = scheduled(.init(schedule: "*/5 * * * *", startingDeadlineSeconds: 60))
            .status { $0.runs = .init(count: 1, lastScheduleTime: KubeTime(t0)) }
            .suspended()
        let suspended = plan(job, .available(), now: t0.addingTimeInterval(3000))
        #expect(suspended.action == .none)
        #expect(suspended.status.state == .suspended)
        let resumed = plan(suspended.applied(to: job).with { $0.spec.state = .running }, .available(), now: t0.addingTimeInterval(3000 + 200))
        // The latest due time (t0+3000 s... rounded to 5 min) is 200 s old: beyond the 60 s deadline → skipped.
        #expect(resumed.action == .none)
        #expect(resumed.status.runs?.count == 1)
    }

    @Test func historyIsPrunedToTheLimits() {
        let records: [FlinkJobStatus.Runs.RunRecord] = (1...6).reversed().map {
            .init(run: Int64($0), jobId: "j\($0)", startTime: KubeTime(t0), endTime: KubeTime(t0), result: $0 % 2 == 0 ? .succeeded : .failed)
        }
        let job = scheduled(.init(schedule: "0 0 1 1 *", successfulRunsHistoryLimit: 2, failedRunsHistoryLimit: 1))
            .status { $0.runs = .init(count: 6, lastScheduleTime: KubeTime(t0), history: records) }
        let result = plan(job, .available())
        #expect(result.status.runs?.history?.map(\.run) == [6, 5, 4])
    }

    @Test func invalidTimeZoneIsAValidationMatterNotACrash() {
        let job = scheduled(.init(schedule: "*/5 * * * *", timeZone: "Mars/Olympus"))
        #expect(plan(job, .available()).action == .none)
    }
}
