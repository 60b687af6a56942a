import FlinkREST
import Foundation
import JSONCore
import Kubernetes

/// The batch lifecycle: runs to completion, retries, deadlines, cron schedules, history.
///
/// Decision table, in order:
/// 1. Fold what Flink says about each active run: ended → a history entry (Succeeded / Failed with Flink's cause /
///    Canceled, or the result of the cancel the operator asked for); running past `activeDeadlineSeconds` → a
///    cancel is sent and the run stays active until Flink shows it ended (a cancel that fails keeps it tracked);
///    submitted but never seen → the same submission again (its deterministic job id makes a repeat harmless);
///    seen and then forgotten by Flink → lost (Failed) if the JobManager restarted since, else its outcome is
///    unknown (its history expired) and it is never run again on the operator's own.
/// 2. Without a schedule: start run 1; after a failed run start another while the failures stay within
///    `recovery.backoffLimit` (with backoff); otherwise Succeeded or Failed, until the deploy-relevant spec changes
///    (which starts a new run, like re-applying a Job). `ttlSecondsAfterFinished` then deletes the FlinkJob.
/// 3. With a schedule: only the newest due time counts (a controller that was down starts one run, not a burst;
///    the rest are counted as missed); a due time older than `startingDeadlineSeconds` is skipped and counted;
///    `concurrencyPolicy` decides what happens when a run is still active (Allow: run both; Forbid: skip;
///    Replace: cancel the active run, and start once it ended); `maxRuns` ends the schedule; `state: Suspended`
///    starts nothing.
/// 4. History is pruned to `successfulRunsHistoryLimit` / `failedRunsHistoryLimit`.
enum BatchLifecycle {
    static func decide(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var step = foldActiveRuns(context, status)
        if case .none = step.action {
            if let schedule = context.spec.batch?.schedule {
                step = scheduled(schedule, context, step)
            } else {
                step = oneShot(context, step)
            }
        }
        step.status = pruned(step.status, context)
        return step
    }

    static func batch(_ context: PlanContext) -> FlinkJobSpec.Batch { context.spec.batch ?? .init() }

    // MARK: Active runs

    /// Updates the active runs from the observation; plans at most one cancel or repeated submission.
    static func foldActiveRuns(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        var events: [JobEvent] = []
        var action: JobAction = .none
        var active: [FlinkJobStatus.Runs.ActiveRun] = []
        let jobManager = context.facts?.jobManagerInstance
        for var run in status.runs?.active ?? [] {
            guard let snapshot = context.observation.runs[run.jobId] else {
                if let result = run.cancelling {
                    events += ended(&status, end(run, result, run.cancelMessage, context, status))
                } else if run.flinkState == nil {
                    // Submitted (or about to be) but never seen: submit the same run again.
                    if case .none = action { action = resubmit(run, context, status) }
                    active.append(run)
                } else if let seenOn = run.jobManager, let now = jobManager, seenOn != now {
                    events += ended(&status, end(run, .failed, "Flink lost the run: the JobManager restarted", context, status))
                } else {
                    events += ended(&status, end(
                        run, .unknown,
                        "Flink no longer knows run \(run.run) (job \(run.jobId)): it ended while the operator was away and its "
                            + "record expired from Flink's job history, so its outcome is unknown; it is not run again",
                        context, status))
                }
                continue
            }
            run.flinkState = snapshot.state.rawValue
            run.jobManager = jobManager ?? run.jobManager
            if snapshot.state.isGloballyTerminal {
                if let result = run.cancelling {
                    events += ended(&status, end(run, result, run.cancelMessage, context, status))
                } else {
                    switch snapshot.state {
                    case .finished: events += ended(&status, end(run, .succeeded, nil, context, status))
                    case .canceled: events += ended(&status, end(run, .canceled, "the Flink job was cancelled", context, status))
                    default: events += ended(&status, end(run, .failed, snapshot.failureCause ?? "the Flink job failed", context, status))
                    }
                }
                continue
            }
            if run.cancelling == nil, let deadline = batch(context).activeDeadlineSeconds,
                context.now.timeIntervalSince(run.startTime.date) > TimeInterval(deadline)
            {
                run.cancelling = .deadlineExceeded
                run.cancelMessage = "run \(run.run) exceeded activeDeadlineSeconds (\(deadline) s) and was cancelled"
                events.append(JobEvent(.warning, .deadlineExceeded, "Cancel", run.cancelMessage ?? ""))
            }
            if run.cancelling != nil, case .none = action { action = .cancel(jobID: run.jobId) }
            active.append(run)
        }
        var runs = status.runs ?? .init()
        runs.active = active.isEmpty ? nil : active
        if runs != FlinkJobStatus.Runs() { status.runs = runs }
        if !active.isEmpty { status.phase = .running }
        let requeue: Requeue = action == .none ? .steady : .progress
        return Step(status, action: action, events: events, requeue: requeue)
    }

    static func resubmit(_ run: FlinkJobStatus.Runs.ActiveRun, _ context: PlanContext, _ status: FlinkJobStatus) -> JobAction {
        let spec = DeploySpec.copy(status.lastAppliedSpec, matching: status.lastAppliedSpecHash) ?? context.desired
        return .deploy(Deployment(
            jobID: run.jobId, sequence: run.run, spec: spec, restorePath: nil, allowNonRestoredState: false,
            reason: .retry, jobName: context.jobName))
    }

    /// Takes the status `outcome` leaves and returns its events (keeps the fold's loop readable).
    private static func ended(_ status: inout FlinkJobStatus, _ outcome: (FlinkJobStatus, [JobEvent])) -> [JobEvent] {
        status = outcome.0
        return outcome.1
    }

    /// The status with the end of `run` recorded in the history and the failure budget, and the event.
    static func end(
        _ run: FlinkJobStatus.Runs.ActiveRun, _ result: FlinkJobStatus.Runs.RunResult, _ message: String?,
        _ context: PlanContext, _ status: FlinkJobStatus
    ) -> (FlinkJobStatus, [JobEvent]) {
        var status = status
        let record = FlinkJobStatus.Runs.RunRecord(
            run: run.run, jobId: run.jobId, startTime: run.startTime, endTime: context.nowTime, result: result,
            message: message.map { String($0.prefix(1024)) })
        var runs = status.runs ?? .init()
        runs.history = [record] + (runs.history ?? []).filter { $0.run != run.run }
        status.runs = runs
        switch result {
        case .succeeded:
            status.failures = nil
            return (status, [JobEvent(.normal, .runSucceeded, "Observe", "run \(run.run) (job \(run.jobId)) succeeded")])
        case .unknown:
            return (status, [JobEvent(.warning, .runOutcomeUnknown, "Observe", message ?? "")])
        case .deadlineExceeded, .failed, .canceled:
            status.failures = FailureBudget.counting(status.failures, message: record.message ?? result.rawValue, now: context.nowTime)
            if result == .deadlineExceeded { return (status, []) }  // announced when the cancel was sent
            return (status, [JobEvent(.warning, result == .failed ? .runFailed : .runCanceled, "Observe",
                             "run \(run.run) (job \(run.jobId)): \(message ?? result.rawValue)")])
        }
    }

    // MARK: One-shot

    static func oneShot(_ context: PlanContext, _ step: Step) -> Step {
        var status = step.status
        var events = step.events
        if status.runs?.active?.isEmpty == false { return Step(status, events: events, requeue: runningRequeue(context, status)) }
        let specChanged = status.lastAppliedSpecHash.map { $0 != context.desiredHash } ?? true
        guard let last = status.runs?.history?.first, !specChanged else {
            if context.spec.state == .suspended {
                status.phase = .suspended
                return Step(status, events: events)
            }
            guard StreamingLifecycle.mayDeploy(context) else { return Step(status, events: events) }
            status.failures = nil
            status.hold = nil
            return start(reason: .initial, scheduledAt: nil, context, Step(status, events: events))
        }
        switch last.result {
        case .succeeded:
            status.phase = .succeeded
            return ttl(last.endTime, context, Step(status, events: events))
        case .unknown:
            if let hold = status.hold, hold.reason == .runOutcomeUnknown, context.releaseToken == hold.token {
                status.hold = nil
                events.append(JobEvent(.normal, .holdReleased, "Hold", "released: running the job again"))
                return start(reason: .retry, scheduledAt: nil, context, Step(status, events: events))
            }
            if status.hold?.reason == .runOutcomeUnknown { return Step(status, events: events) }
            var held = StreamingLifecycle.hold(.runOutcomeUnknown, message: last.message ?? "", fallback: nil, context, status)
            held.events = events + held.events
            return held
        case .failed, .canceled, .deadlineExceeded:
            break
        }
        let failures = status.failures?.count ?? 0
        if FailureBudget.isExhausted(status.failures, context.spec) {
            status.phase = .failed
            return ttl(last.endTime, context, Step(status, events: events))
        }
        if context.spec.state == .suspended {
            status.phase = .suspended
            return Step(status, events: events)
        }
        let delay = context.settings.retryDelay(attempt: max(1, failures))
        if let end = last.endTime, context.now.timeIntervalSince(end.date) < delay.secondsDouble {
            status.phase = .pending
            return Step(status, events: events, requeue: .at(end.date.addingTimeInterval(delay.secondsDouble)))
        }
        guard StreamingLifecycle.mayDeploy(context) else { return Step(status, events: events) }
        return start(reason: .retry, scheduledAt: nil, context, Step(status, events: events))
    }

    /// After `ttlSecondsAfterFinished` a finished one-off FlinkJob is deleted (like a Job's TTL controller).
    static func ttl(_ endTime: KubeTime?, _ context: PlanContext, _ step: Step) -> Step {
        var step = step
        guard let ttl = batch(context).ttlSecondsAfterFinished, let end = endTime else { return step }
        let due = end.date.addingTimeInterval(TimeInterval(ttl))
        if context.now >= due {
            step.action = .deleteObject
            step.events.append(JobEvent(.normal, .ttlExpired, "Cleanup", "ttlSecondsAfterFinished (\(ttl) s) elapsed; deleting the FlinkJob"))
        } else {
            step.requeue = .at(due)
        }
        return step
    }

    static func runningRequeue(_ context: PlanContext, _ status: FlinkJobStatus) -> Requeue {
        guard let deadline = batch(context).activeDeadlineSeconds,
            let oldest = (status.runs?.active ?? []).map(\.startTime.date).min()
        else { return .progress }
        return Requeue.at(oldest.addingTimeInterval(TimeInterval(deadline) + 0.05)).sooner(.progress, context)
    }

    // MARK: Scheduled

    static func scheduled(_ expression: String, _ context: PlanContext, _ step: Step) -> Step {
        var status = step.status
        var events = step.events
        let batch = batch(context)
        guard let schedule = try? CronSchedule(expression, timeZone: batch.timeZone) else {
            // Validation refuses bad schedules before planning; this guards a spec that slipped through.
            return step
        }
        var runs = status.runs ?? .init()
        let created = context.job.metadata.creationTimestamp?.date ?? context.now
        let base = [runs.lastScheduleTime?.date, runs.lastMissedTime?.date, created].compactMap { $0 }.max() ?? context.now
        let active = runs.active ?? []
        if let maxRuns = batch.maxRuns, Int64(maxRuns) <= (runs.count ?? 0) {
            runs.nextScheduleTime = nil
            status.runs = runs
            status.phase = active.isEmpty ? .succeeded : .running
            return Step(status, events: events, requeue: active.isEmpty ? .steady : runningRequeue(context, status))
        }
        if context.spec.state == .suspended {
            runs.nextScheduleTime = nil
            status.runs = runs
            if active.isEmpty { status.phase = .suspended }
            return Step(status, events: events)
        }
        var result: Step?
        let due = schedule.due(after: base, through: context.now)
        if let latest = due.latest {
            if due.count > 1 {
                runs.missedCount = (runs.missedCount ?? 0) + Int64(due.count - 1)
                events.append(JobEvent(.warning, .missedSchedules, "Schedule",
                    "\(due.exact ? "" : "more than ")\(due.count - 1) schedule time(s) passed while no run could start; only the latest counts"))
            }
            func skip(_ reason: String) {
                runs.missedCount = (runs.missedCount ?? 0) + 1
                runs.lastMissedTime = KubeTime(latest)
                events.append(JobEvent(.warning, .runSkipped, "Schedule", "skipped the run scheduled at \(KubeTime(latest)): \(reason)"))
            }
            if let deadline = batch.startingDeadlineSeconds, context.now.timeIntervalSince(latest) > TimeInterval(deadline) {
                skip("it is more than startingDeadlineSeconds (\(deadline) s) late")
            } else if let first = active.first {
                switch batch.concurrencyPolicy {
                case .allow:
                    status.runs = runs
                    result = start(reason: .scheduledRun, scheduledAt: latest, context, Step(status, events: events))
                case .forbid:
                    skip("run \(first.run) is still active (concurrencyPolicy Forbid)")
                case .replace:
                    // Cancel the active run; the new one starts once Flink shows it ended.
                    if let index = runs.active?.firstIndex(where: { $0.cancelling == nil }) {
                        runs.active?[index].cancelling = .canceled
                        runs.active?[index].cancelMessage = "replaced by the run scheduled at \(KubeTime(latest))"
                        status.runs = runs
                        let id = runs.active?[index].jobId ?? first.jobId
                        result = Step(status, action: .cancel(jobID: id), events: events + [JobEvent(.normal, .cancelling, "Schedule",
                            "cancelling run \(runs.active?[index].run ?? first.run) to replace it with the run scheduled at \(KubeTime(latest))")],
                            requeue: .progress)
                    } else {
                        status.runs = runs
                        result = Step(status, events: events, requeue: .progress)
                    }
                }
            } else if StreamingLifecycle.mayDeploy(context) {
                status.runs = runs
                result = start(reason: .scheduledRun, scheduledAt: latest, context, Step(status, events: events))
            }
        }
        var final = result ?? Step(status.with(runs: runs), events: events)
        var finalRuns = final.status.runs ?? runs
        let after = [finalRuns.lastScheduleTime?.date ?? base, finalRuns.lastMissedTime?.date ?? base, context.now].max() ?? context.now
        let next = schedule.next(after: after)
        finalRuns.nextScheduleTime = next.map(KubeTime.init)
        final.status.runs = finalRuns
        if case .none = final.action {
            if finalRuns.active?.isEmpty == false {
                final.status.phase = .running
                final.requeue = runningRequeue(context, final.status)
            } else {
                final.status.phase = .scheduled
                final.requeue = next.map { Requeue.at($0) } ?? .steady
            }
        }
        return final
    }

    // MARK: Starting runs

    /// Records run number `count + 1` (before it is submitted) and plans its submission.
    static func start(reason: Deployment.Reason, scheduledAt: Date?, _ context: PlanContext, _ step: Step) -> Step {
        var status = step.status
        var runs = status.runs ?? .init()
        let number = (runs.count ?? 0) + 1
        let jobID = DeploymentIdentity.runJobID(uid: context.uid, run: number)
        runs.count = number
        if let scheduledAt { runs.lastScheduleTime = KubeTime(scheduledAt) }
        runs.active = (runs.active ?? []) + [.init(run: number, jobId: jobID, startTime: context.nowTime)]
        status.runs = runs
        status.deploySequence = number
        status.job = FlinkJobStatus.Job(
            id: jobID, submitTime: context.nowTime, cluster: context.desired.clusterRef, restURL: context.facts?.restURL,
            flinkClusterId: context.facts?.flinkClusterId, reason: reason)
        status.lastAppliedSpecHash = context.desiredHash
        status.lastAppliedSpec = context.desired.boundedCopy
        status.phase = .running
        let deployment = Deployment(
            jobID: jobID, sequence: number, spec: context.desired, restorePath: nil, allowNonRestoredState: false,
            reason: reason, jobName: context.jobName)
        return Step(status, action: .deploy(deployment),
                    events: step.events + [JobEvent(.normal, .runStarted, "Deploy", "starting run \(number) as job \(jobID)")],
                    requeue: .progress)
    }

    // MARK: History

    static func pruned(_ status: FlinkJobStatus, _ context: PlanContext) -> FlinkJobStatus {
        guard let history = status.runs?.history else { return status }
        let batch = batch(context)
        var succeeded = 0
        var failed = 0
        let kept = history.filter { record in
            if record.result == .succeeded {
                succeeded += 1
                return succeeded <= batch.successfulRunsHistoryLimit
            }
            failed += 1
            // Keep the newest record whatever the limit: it explains the current Succeeded condition.
            return failed <= batch.failedRunsHistoryLimit || record == history.first
        }
        var status = status
        status.runs?.history = kept.isEmpty ? nil : kept
        return status
    }
}

extension FlinkJobStatus {
    func with(runs: Runs) -> FlinkJobStatus {
        var copy = self
        copy.runs = runs
        return copy
    }
}
