import FlinkREST
import Foundation
import JSONCore
import Kubernetes

/// The batch rules of the planner: runs to completion, retries, deadlines, cron schedules, history.
///
/// Decision table, in order:
/// 1. Fold what Flink says about each active run: ended → a history entry (Succeeded / Failed with Flink's cause /
///    Canceled); running past `activeDeadlineSeconds` → cancelled and recorded `DeadlineExceeded`; submitted but
///    never seen → the same submission again (its deterministic job id makes a repeat harmless); seen and then
///    forgotten by Flink (JobManager restart) → recorded Failed.
/// 2. Without a schedule: start run 1; after a failed run start another while the failures stay within
///    `recovery.backoffLimit` (with backoff); otherwise `Succeeded=True|False` and nothing more, until the
///    deploy-relevant spec changes (which starts a new run, like re-applying a Job).
/// 3. With a schedule: only the newest due time counts (a controller that was down starts one run, not a burst;
///    the rest are counted as missed); a due time older than `startingDeadlineSeconds` is skipped and counted;
///    `concurrencyPolicy` decides what happens when a run is still active (Allow: run both; Forbid: skip;
///    Replace: cancel the active run, then start); `maxRuns` ends the schedule; `state: Suspended` starts nothing.
/// 4. History is pruned to `successfulRunsHistoryLimit` / `failedRunsHistoryLimit`.
struct BatchPlanner {
    var builder: PlanBuilder

    init(builder: PlanBuilder) {
        self.builder = builder
    }

    var spec: FlinkJobSpec { builder.spec }
    var batch: FlinkJobSpec.Batch { builder.spec.batch ?? .init() }
    var now: Date { builder.now }
    var runs: FlinkJobStatus.Runs {
        get { builder.status.runs ?? .init() }
        set { builder.status.runs = newValue }
    }

    mutating func decide() {
        if foldActiveRuns() { return finish() }
        if let schedule = batch.schedule {
            planScheduled(schedule)
        } else {
            planOneShot()
        }
        finish()
    }

    // MARK: Active runs

    /// Updates active runs from the observation; returns true when an action (a cancel or a repeated
    /// submission) was planned and this pass is done.
    mutating func foldActiveRuns() -> Bool {
        var active = runs.active ?? []
        var planned = false
        var index = 0
        while index < active.count {
            var run = active[index]
            guard let snapshot = builder.observation.runs[run.jobId] else {
                if run.flinkState == nil {
                    if !planned {
                        planned = true
                        resubmit(run)
                    }
                    index += 1
                } else {
                    active.remove(at: index)
                    recordEnd(run, result: .failed, message: "Flink lost the job (JobManager restarted?)")
                }
                continue
            }
            run.flinkState = snapshot.state.rawValue
            active[index] = run
            if snapshot.state.isGloballyTerminal {
                active.remove(at: index)
                switch snapshot.state {
                case .finished: recordEnd(run, result: .succeeded, message: nil)
                case .canceled: recordEnd(run, result: .canceled, message: "the Flink job was cancelled")
                default: recordEnd(run, result: .failed, message: snapshot.failureCause ?? "the Flink job failed")
                }
                continue
            }
            if let deadline = batch.activeDeadlineSeconds,
                now.timeIntervalSince(run.startTime.date) > TimeInterval(deadline), !planned
            {
                planned = true
                active.remove(at: index)
                builder.action = .cancel(jobID: run.jobId)
                recordEnd(run, result: .deadlineExceeded,
                          message: "run \(run.run) exceeded activeDeadlineSeconds (\(deadline) s) and was cancelled")
                continue
            }
            index += 1
        }
        runs.active = active.isEmpty ? nil : active
        if planned { builder.requeue = builder.settings.progressRequeue }
        return planned
    }

    mutating func resubmit(_ run: FlinkJobStatus.Runs.ActiveRun) {
        let deploySpec = (builder.appliedSpec ?? DeploySpec(spec))
        builder.action = .deploy(Deployment(
            jobID: run.jobId, sequence: run.run, spec: deploySpec, restorePath: nil, allowNonRestoredState: false,
            reason: .retry, jobName: builder.jobName))
        builder.emit(.normal, "Deploying", "Deploy", "submitting run \(run.run) as job \(run.jobId) again (not seen in Flink)")
    }

    mutating func recordEnd(_ run: FlinkJobStatus.Runs.ActiveRun, result: FlinkJobStatus.Runs.RunResult, message: String?) {
        let record = FlinkJobStatus.Runs.RunRecord(
            run: run.run, jobId: run.jobId, startTime: run.startTime, endTime: builder.nowTime, result: result,
            message: message.map { String($0.prefix(1024)) })
        runs.history = [record] + (runs.history ?? []).filter { $0.run != run.run }
        if result == .succeeded {
            builder.status.failures = nil
        } else {
            var failures = builder.status.failures ?? .init()
            failures.count += 1
            failures.lastTime = builder.nowTime
            failures.lastMessage = record.message
            builder.status.failures = failures
        }
        switch result {
        case .succeeded:
            builder.emit(.normal, "RunSucceeded", "Observe", "run \(run.run) (job \(run.jobId)) succeeded")
        case .deadlineExceeded:
            builder.emit(.warning, "DeadlineExceeded", "Cancel", message ?? "")
        case .failed, .canceled:
            builder.emit(.warning, result == .failed ? "RunFailed" : "RunCanceled", "Observe",
                         "run \(run.run) (job \(run.jobId)): \(message ?? result.rawValue)")
        }
    }

    // MARK: One-shot

    mutating func planOneShot() {
        if runs.active?.isEmpty == false {
            running()
            return
        }
        let desired = DeploySpec(spec)
        let specChanged = builder.status.lastAppliedSpecHash.map { $0 != desired.hash } ?? true
        guard let last = runs.history?.first, !specChanged else {
            if spec.state == .suspended {
                suspended()
                return
            }
            builder.status.failures = nil
            startRun(reason: .initial)
            return
        }
        if last.result == .succeeded {
            builder.status.state = .succeeded
            builder.setCondition(ConditionType.succeeded, .true, "RunSucceeded", "run \(last.run) succeeded")
            builder.setCondition(ConditionType.ready, .true, "Completed", "the batch job completed")
            builder.setCondition(ConditionType.progressing, .false, "Completed", "the batch job completed")
            builder.setCondition(ConditionType.degraded, .false, "Completed", "")
            applyTTL(endTime: last.endTime)
            return
        }
        let failedRuns = consecutiveFailures()
        let message = "run \(last.run) \(last.result.rawValue.lowercased()): \(last.message ?? "")"
        if failedRuns > spec.recovery.backoffLimit || spec.recovery.onFailure == .never {
            builder.status.state = .failed
            let why = spec.recovery.onFailure == .never ? "no retries (recovery.onFailure Never)"
                : "backoff limit \(spec.recovery.backoffLimit) reached"
            builder.setCondition(ConditionType.succeeded, .false, last.result == .deadlineExceeded ? "DeadlineExceeded" : "RunFailed",
                                 "\(message) (\(why))")
            builder.setCondition(ConditionType.ready, .false, "Failed", "\(message) (\(why))")
            builder.setCondition(ConditionType.progressing, .false, "Failed", why)
            builder.setCondition(ConditionType.degraded, .true, "RunFailed", message)
            builder.status.message = message
            applyTTL(endTime: last.endTime)
            return
        }
        if spec.state == .suspended {
            suspended()
            return
        }
        let delay = builder.settings.retryDelay(attempt: failedRuns)
        if let end = last.endTime, now.timeIntervalSince(end.date) < delay.secondsDouble {
            let remaining = delay.secondsDouble - now.timeIntervalSince(end.date)
            builder.setCondition(ConditionType.progressing, .true, "RetryPending",
                                 "retry \(failedRuns) of \(spec.recovery.backoffLimit) in \(Int(remaining)) s after: \(message)")
            builder.setCondition(ConditionType.degraded, .true, "RunFailed", message)
            builder.status.state = .scheduled
            builder.requeue = .milliseconds(Int64(max(0.5, remaining) * 1000))
            return
        }
        startRun(reason: .retry)
    }

    /// Failed runs since the last success or spec change (kept in `status.failures`, because the run history
    /// is pruned to its limits and cannot be counted on).
    func consecutiveFailures() -> Int {
        builder.status.failures?.count ?? 0
    }

    /// After `ttlSecondsAfterFinished`, the finished job's Flink-side leftovers go: the operator stops
    /// referencing the uploaded jar (the jar collector then deletes it unless another job uses it). The FlinkJob
    /// object itself stays (GitOps tools would re-create it, and its status is the run record).
    mutating func applyTTL(endTime: KubeTime?) {
        guard let ttl = batch.ttlSecondsAfterFinished, let end = endTime else {
            builder.requeue = builder.settings.steadyRequeue
            return
        }
        let remaining = TimeInterval(ttl) - now.timeIntervalSince(end.date)
        if remaining <= 0 {
            if builder.status.artifact?.flinkJarId != nil {
                builder.status.artifact?.flinkJarId = nil
                builder.emit(.normal, "TTLExpired", "Cleanup",
                             "ttlSecondsAfterFinished (\(ttl) s) elapsed; released the uploaded jar")
            }
            builder.requeue = builder.settings.steadyRequeue
        } else {
            builder.requeue = .milliseconds(Int64(max(0.5, min(remaining, 3600)) * 1000))
        }
    }

    // MARK: Scheduled

    mutating func planScheduled(_ expression: String) {
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(expression, timeZone: batch.timeZone)
        } catch {
            // Validation refuses bad schedules before planning; this guards a spec that slipped through.
            builder.setCondition(ConditionType.ready, .false, "InvalidSpec", "spec.batch.schedule: \(error)")
            return
        }
        let created = builder.job.metadata.creationTimestamp?.date ?? now
        let base = [runs.lastScheduleTime?.date, runs.lastMissedTime?.date, created].compactMap { $0 }.max() ?? now
        let maxRunsReached = batch.maxRuns.map { Int64($0) <= (runs.count ?? 0) } ?? false

        if maxRunsReached {
            runs.nextScheduleTime = nil
            if runs.active?.isEmpty == false {
                running()
            } else {
                builder.status.state = .succeeded
                builder.setCondition(ConditionType.succeeded, .true, "MaxRunsReached",
                                     "all \(batch.maxRuns ?? 0) runs are done; nothing more is scheduled")
                builder.setCondition(ConditionType.ready, .true, "Completed", "the schedule is complete")
                builder.setCondition(ConditionType.progressing, .false, "Completed", "the schedule is complete")
                builder.requeue = builder.settings.steadyRequeue
            }
            return
        }
        if spec.state == .suspended {
            runs.nextScheduleTime = nil
            suspended()
            return
        }

        let due = schedule.times(after: base, through: now)
        if let latest = due.last {
            let skippedWhileDown = Int64(due.count - 1)
            if skippedWhileDown > 0 {
                runs.missedCount = (runs.missedCount ?? 0) + skippedWhileDown
                builder.emit(.warning, "MissedSchedules", "Schedule",
                             "\(skippedWhileDown) schedule time(s) passed while no run could start; only the latest counts")
            }
            if let deadline = batch.startingDeadlineSeconds, now.timeIntervalSince(latest) > TimeInterval(deadline) {
                skip(latest, because: "it is more than startingDeadlineSeconds (\(deadline) s) late")
            } else if let active = runs.active, !active.isEmpty {
                switch batch.concurrencyPolicy {
                case .allow:
                    startRun(reason: .scheduledRun, scheduledAt: latest)
                case .forbid:
                    skip(latest, because: "run \(active[0].run) is still active (concurrencyPolicy Forbid)")
                case .replace:
                    let replaced = active[0]
                    runs.active = active.count > 1 ? Array(active.dropFirst()) : nil
                    builder.action = .cancel(jobID: replaced.jobId)
                    recordEnd(replaced, result: .canceled, message: "replaced by the run scheduled at \(KubeTime(latest))")
                    builder.requeue = builder.settings.progressRequeue
                }
            } else {
                startRun(reason: .scheduledRun, scheduledAt: latest)
            }
        }
        let after = max(runs.lastScheduleTime?.date ?? base, runs.lastMissedTime?.date ?? base, now)
        let next = schedule.next(after: after)
        runs.nextScheduleTime = next.map(KubeTime.init)
        if case .none = builder.action {
            if runs.active?.isEmpty == false {
                running()
            } else {
                builder.status.state = .scheduled
                builder.setCondition(ConditionType.ready, .true, "Scheduled",
                                     next.map { "next run at \(KubeTime($0))" } ?? "no future schedule time")
                builder.setCondition(ConditionType.progressing, .false, "Scheduled", "waiting for the next schedule time")
            }
            if let next {
                let wait = max(0.2, next.timeIntervalSince(now))
                builder.requeue = .milliseconds(Int64(min(wait, builder.settings.steadyRequeue.secondsDouble) * 1000))
            }
        }
        if let last = runs.history?.first {
            if last.result == .succeeded {
                builder.setCondition(ConditionType.succeeded, .true, "RunSucceeded", "run \(last.run) succeeded")
                builder.setCondition(ConditionType.degraded, .false, "RunSucceeded", "")
            } else {
                let message = "run \(last.run) \(last.result.rawValue.lowercased()): \(last.message ?? "")"
                builder.setCondition(ConditionType.succeeded, .false,
                                     last.result == .deadlineExceeded ? "DeadlineExceeded" : "RunFailed", message)
                builder.setCondition(ConditionType.degraded, .true, "RunFailed", message)
            }
        }
    }

    mutating func skip(_ time: Date, because reason: String) {
        runs.missedCount = (runs.missedCount ?? 0) + 1
        runs.lastMissedTime = KubeTime(time)
        builder.emit(.warning, "RunSkipped", "Schedule", "skipped the run scheduled at \(KubeTime(time)): \(reason)")
    }

    // MARK: Starting runs

    mutating func startRun(reason: Deployment.Reason, scheduledAt: Date? = nil) {
        let number = (runs.count ?? 0) + 1
        let jobID = DeploymentIdentity.runJobID(uid: builder.uid, run: number)
        let deploySpec = DeploySpec(spec)
        runs.count = number
        if let scheduledAt { runs.lastScheduleTime = KubeTime(scheduledAt) }
        runs.active = (runs.active ?? []) + [.init(run: number, jobId: jobID, startTime: builder.nowTime)]
        builder.status.deploySequence = number
        builder.status.job = FlinkJobStatus.Job(id: jobID, submitTime: builder.nowTime, cluster: deploySpec.clusterRef)
        builder.status.lastAppliedSpec = try? JSONValue(encoding: deploySpec)
        builder.status.lastAppliedSpecHash = deploySpec.hash
        builder.action = .deploy(Deployment(
            jobID: jobID, sequence: number, spec: deploySpec, restorePath: nil, allowNonRestoredState: false,
            reason: reason, jobName: builder.jobName))
        builder.status.state = .running
        builder.setCondition(ConditionType.progressing, .true, "RunStarting", "starting run \(number) as job \(jobID)")
        builder.emit(.normal, "RunStarted", "Deploy", "starting run \(number) as job \(jobID)")
        builder.requeue = builder.settings.progressRequeue
    }

    mutating func running() {
        let active = runs.active ?? []
        builder.status.state = .running
        let ids = active.map { "run \($0.run)" }.joined(separator: ", ")
        builder.setCondition(ConditionType.ready, .true, "RunActive", "\(ids) active")
        builder.setCondition(ConditionType.progressing, .true, "RunActive", "\(ids) active")
        if batch.schedule == nil {
            builder.setCondition(ConditionType.succeeded, .unknown, "RunActive", "\(ids) active")
        }
        builder.requeue = builder.settings.progressRequeue
        if let deadline = batch.activeDeadlineSeconds, let oldest = active.map(\.startTime.date).min() {
            let remaining = TimeInterval(deadline) - now.timeIntervalSince(oldest)
            if remaining > 0, remaining < builder.requeue.secondsDouble {
                builder.requeue = .milliseconds(Int64(remaining * 1000) + 50)
            }
        }
    }

    mutating func suspended() {
        builder.status.state = runs.active?.isEmpty == false ? .running : .suspended
        builder.setCondition(ConditionType.ready, .false, "Suspended", "spec.state is Suspended: no new runs start")
        builder.setCondition(ConditionType.progressing, .false, "Suspended", "spec.state is Suspended")
        builder.requeue = builder.settings.steadyRequeue
    }

    // MARK: History

    mutating func finish() {
        guard var history = runs.history else { return }
        var succeeded = 0
        var failed = 0
        history = history.filter { record in
            if record.result == .succeeded {
                succeeded += 1
                return succeeded <= batch.successfulRunsHistoryLimit
            }
            failed += 1
            // Keep the newest record whatever the limit: it explains the current Succeeded condition.
            return failed <= batch.failedRunsHistoryLimit || record == runs.history?.first
        }
        runs.history = history.isEmpty ? nil : history
    }

    /// Folds the outcome of a run submission into the active runs.
    static func record(_ outcome: JobActionOutcome, into builder: inout PlanBuilder) {
        guard case .deploy(let deployment) = builder.action else { return }
        let message: String
        switch outcome {
        case .submissionFailed(let text): message = text
        case .artifactFailed(_, let text): message = text
        default: return
        }
        var runs = builder.status.runs ?? .init()
        guard let run = runs.active?.first(where: { $0.jobId == deployment.jobID }) else { return }
        runs.active = runs.active?.filter { $0.jobId != deployment.jobID }
        if runs.active?.isEmpty == true { runs.active = nil }
        builder.status.runs = runs
        var planner = BatchPlanner(builder: builder)
        planner.recordEnd(run, result: .failed, message: "submission failed: \(message)")
        planner.finish()
        builder = planner.builder
        builder.requeue = .zero
    }
}
