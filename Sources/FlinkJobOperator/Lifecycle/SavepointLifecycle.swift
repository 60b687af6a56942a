import Foundation
import Kubernetes

/// Savepoints: starting one (the trigger id is in status before it is sent), resolving the one in flight, keeping
/// the history to its limits, and disposing of what fell out of it — only the FlinkJob's own savepoints.
enum SavepointLifecycle {
    /// What became of the savepoint in flight this pass.
    struct Resolution: Sendable {
        var step: Step
        /// Recorded this pass.
        var completed: FlinkJobStatus.SavepointRecord?
        /// Failed this pass (or timed out).
        var failed: Bool = false
        /// Still running.
        var inProgress: Bool = false
    }

    /// Resolves `status.savepoints.pending` from the observation.
    static func resolve(_ context: PlanContext, _ status: FlinkJobStatus) -> Resolution {
        guard let pending = status.savepoints?.pending else { return Resolution(step: Step(status), completed: nil) }
        switch context.observation.savepoint {
        case nil:
            // Not polled this pass (the cluster cannot be used): nothing is known.
            return Resolution(step: Step(status, requeue: .progress), completed: nil, inProgress: true)
        case .inProgress:
            let age = context.now.timeIntervalSince(pending.startedAt.date)
            if age > context.settings.savepointTimeout.secondsDouble {
                return failed(pending, cause: "still in progress after \(Int(age)) s", context, status)
            }
            return Resolution(step: Step(status, requeue: .progress), completed: nil, inProgress: true)
        case .completed(let location):
            return completed(pending, location: location, context, status)
        case .failed(let cause):
            // A stop whose answer was lost (the JobManager restarted and forgot the trigger) may still have
            // written its savepoint: found in storage, it is the stop's result, not a failure.
            if pending.stop == true, let found = context.observation.stopSavepoint {
                return completed(pending, location: found, context, status)
            }
            return failed(pending, cause: cause, context, status)
        }
    }

    static func completed(
        _ pending: FlinkJobStatus.SavepointStatus.PendingSavepoint, location: String, _ context: PlanContext,
        _ status: FlinkJobStatus
    ) -> Resolution {
        var status = status
        let jobID = pending.jobId ?? status.job?.id
        // Flink's id for the savepoint when its statistics list it; else the newest checkpoint before it, which
        // orders it correctly against every later checkpoint.
        let flinkID = context.observation.job.flatMap { snapshot in
            snapshot.latestSavepoint.flatMap { StateOwnership.normalized($0.path ?? "") == StateOwnership.normalized(location) ? $0.id : nil }
        }
        let record = FlinkJobStatus.SavepointRecord(
            location: location, time: context.nowTime, reason: pending.reason,
            checkpointId: flinkID ?? status.checkpoints?.lastCompleted?.id, jobId: jobID)
        var savepoints = status.savepoints ?? .init()
        savepoints.pending = nil
        savepoints.last = record
        let limit = max(1, context.spec.savepoints?.historyLimit ?? 5)
        let maxAge = context.spec.savepoints?.maxAge.flatMap(GoDuration.parse)
        var history: [FlinkJobStatus.SavepointRecord] = []
        var pruned: [String] = []
        for (index, entry) in ([record] + (savepoints.history ?? []).filter { $0.location != location }).enumerated() {
            let tooOld = maxAge.map { context.now.timeIntervalSince(entry.time.date) > $0.secondsDouble } ?? false
            if index == 0 || (index < limit && !tooOld) {
                history.append(entry)
            } else {
                pruned.append(entry.location)
            }
        }
        savepoints.history = history
        let ownership = StateOwnership(context, status: status)
        let disposals = (savepoints.disposals ?? []) + pruned.filter(ownership.mayDispose)
        savepoints.disposals = disposals.isEmpty ? nil : disposals
        status.savepoints = savepoints
        if status.retry?.operation == .savepoint { status.retry = nil }
        let event = JobEvent(.normal, .savepointCompleted, "Savepoint", "\(pending.reason.rawValue) savepoint completed at \(location)")
        return Resolution(step: Step(status, events: [event], requeue: .now), completed: record)
    }

    static func failed(
        _ pending: FlinkJobStatus.SavepointStatus.PendingSavepoint, cause: String, _ context: PlanContext,
        _ status: FlinkJobStatus
    ) -> Resolution {
        var status = status
        status.savepoints?.pending = nil
        let retry = RetryBackoff.failed(
            status.retry, .savepoint, reason: Reason.savepointFailed.rawValue,
            message: "\(pending.reason.rawValue) savepoint failed: \(cause)", specHash: nil, context: context)
        status.retry = retry
        let continues = pending.stop == true ? "; the job keeps running and the stop is retried at \(retry.notBefore)" : ""
        let event = JobEvent(.warning, .savepointFailed, "Savepoint", "\(pending.reason.rawValue) savepoint failed: \(cause)\(continues)")
        return Resolution(step: Step(status, events: [event], requeue: .at(retry.notBefore.date)), completed: nil, failed: true)
    }

    /// Records a new savepoint trigger (or stop-with-savepoint) of `jobID` and plans sending it.
    static func start(
        jobID: String, reason: FlinkJobStatus.SavepointReason, stop: Bool, _ context: PlanContext, _ status: FlinkJobStatus
    ) -> Step {
        var status = status
        let startedAt = context.nowTime
        let triggerID = DeploymentIdentity.triggerID(jobID: jobID, reason: reason, startedAtSeconds: startedAt.secondsSince1970)
        var savepoints = status.savepoints ?? .init()
        savepoints.pending = .init(triggerId: triggerID, reason: reason, startedAt: startedAt, jobId: jobID, stop: stop)
        if reason == .manual { savepoints.lastNonce = context.spec.savepointNonce }
        status.savepoints = savepoints
        let request = SavepointRequest(
            jobID: jobID, triggerID: triggerID, reason: reason, directory: context.savepointDirectory,
            formatType: context.spec.savepoints?.formatType ?? .canonical)
        let event = JobEvent(
            .normal, stop ? .stoppingWithSavepoint : .savepointTriggered, "Savepoint",
            "\(reason.rawValue) savepoint of job \(jobID) triggered\(stop ? " (stop with savepoint)" : "")")
        return Step(status, action: stop ? .stopWithSavepoint(request) : .triggerSavepoint(request), events: [event], requeue: .progress)
    }

    /// The savepoint a running job is due for (a new `savepointNonce`, or `periodicInterval` elapsed).
    static func due(_ snapshot: FlinkJobSnapshot, _ context: PlanContext, _ status: FlinkJobStatus) -> FlinkJobStatus.SavepointReason? {
        guard status.savepoints?.pending == nil, snapshot.state == .running,
            RetryBackoff.allows(status.retry, .savepoint, specHash: nil, now: context.now)
        else { return nil }
        if let nonce = context.spec.savepointNonce, nonce != status.savepoints?.lastNonce { return .manual }
        guard snapshot.isFullyRunning, let text = context.spec.savepoints?.periodicInterval,
            let interval = GoDuration.parse(text), interval > .zero
        else { return nil }
        let since = [status.savepoints?.last?.time.date, snapshot.startTime].compactMap { $0 }.max() ?? context.now
        return context.now.timeIntervalSince(since) >= interval.secondsDouble ? .periodic : nil
    }

    /// The disposal of savepoints that fell out of the history, when any wait.
    static func disposal(_ status: FlinkJobStatus) -> JobAction? {
        guard let paths = status.savepoints?.disposals, !paths.isEmpty else { return nil }
        return .disposeSavepoints(paths)
    }
}
