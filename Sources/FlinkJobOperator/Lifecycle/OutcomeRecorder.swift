import Foundation
import Kubernetes

/// Folds what came of an action into the status the plan recorded: a pure function of (plan, outcome).
///
/// | action | outcome | recorded |
/// |---|---|---|
/// | prepare | prepared | `status.prepared`; look again at once (the stop or deploy follows) |
/// | prepare | artifact failed | `retry` (Degraded with the reason); a running job keeps running |
/// | deploy | submitted / adopted | `job.submission = Accepted` |
/// | deploy | refused | a job failure; back to `pending` after the backoff, `failed` beyond the budget, or a rollback |
/// | deploy | in doubt (5xx, timeout, lost answer) | `retry`; the same job id is submitted again (not a job failure) |
/// | deploy | jar missing | `prepared` dropped, `job.submission = NotSent`: prepared again and submitted under the same id |
/// | savepoint / stop | trigger refused | `retry`; a stop is abandoned and the job keeps running |
/// | rescale | done | the new parallelism is the applied spec |
/// | dispose | done | the disposed paths leave `savepoints.disposals` |
/// | any | unreachable | `retry` of that operation (nothing is known to have happened) |
enum OutcomeRecorder {
    static func record(_ outcome: JobActionOutcome, action: JobAction, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        var events: [JobEvent] = []
        var requeue: Requeue = .progress
        let batch = context.spec.type == .batch
        switch (action, outcome) {
        case (.prepare(let spec), .prepared(var prepared)):
            prepared.specHash = spec.hash
            status.prepared = prepared
            if status.retry?.operation == .prepare { status.retry = nil }
            requeue = .now
        case (.prepare(let spec), .artifactFailed(let reason, let message)):
            status.retry = RetryBackoff.failed(status.retry, .prepare, reason: reason, message: message, specHash: spec.hash, context: context)
            events.append(JobEvent(.warning, reason: reason, action: "Prepare", note: running(status) ? "\(message); the running job keeps running" : message))
            requeue = .at(status.retry?.notBefore.date ?? context.now)

        case (.deploy, .submitted(let adopted)):
            status.job?.submission = .accepted
            if status.retry?.operation == .submit { status.retry = nil }
            if adopted, let id = status.job?.id {
                events.append(JobEvent(.normal, .jobAdopted, "Deploy", "job \(id) was already submitted; adopted it"))
            }
        case (.deploy(let deployment), .submissionFailed(let message)):
            if batch { return runSubmissionFailed(deployment, message: message, context, status) }
            return submissionRefused(deployment, message: message, context, status)
        case (.deploy(let deployment), .artifactFailed(let reason, let message)):
            if batch { return runSubmissionFailed(deployment, message: message, context, status) }
            status.prepared = nil
            status.job?.submission = .notSent
            status.pendingDeploy = .init(reason: deployment.reason, restorePath: deployment.restorePath, since: context.nowTime)
            status.phase = .pending
            status.retry = RetryBackoff.failed(status.retry, .prepare, reason: reason, message: message, specHash: deployment.spec.hash, context: context)
            events.append(JobEvent(.warning, reason: reason, action: "Deploy", note: message))
            requeue = .at(status.retry?.notBefore.date ?? context.now)
        case (.deploy(let deployment), .submissionInDoubt(let message)):
            status.retry = RetryBackoff.failed(
                status.retry, .submit, reason: Reason.flinkUnavailable.rawValue,
                message: "submitting job \(deployment.jobID) failed transiently (\(message)); submitting the same job id again",
                specHash: deployment.spec.hash, context: context)
            requeue = .at(status.retry?.notBefore.date ?? context.now)
        case (.deploy(let deployment), .jarMissing(let message)):
            status.prepared = nil
            if batch {
                // The run was not submitted: its next pass submits it again, uploading first.
                requeue = .now
            } else {
                status.job?.submission = .notSent
                status.pendingDeploy = .init(reason: deployment.reason, restorePath: deployment.restorePath, since: context.nowTime)
                status.phase = .pending
                requeue = .now
            }
            events.append(JobEvent(.normal, .preparing, "Deploy", "the uploaded jar is gone from the cluster (\(message)); uploading it again"))

        case (.triggerSavepoint, .savepointTriggerFailed(let message)), (.stopWithSavepoint, .savepointTriggerFailed(let message)):
            let reason = status.savepoints?.pending?.reason.rawValue ?? "Savepoint"
            status.savepoints?.pending = nil
            status.retry = RetryBackoff.failed(
                status.retry, .savepoint, reason: Reason.savepointFailed.rawValue,
                message: "\(reason) savepoint failed: \(message)", specHash: nil, context: context)
            if status.stop != nil {
                status.stop = nil
                status.phase = .running
            }
            events.append(JobEvent(.warning, .savepointFailed, "Savepoint", "\(reason) savepoint failed: \(message)"))
            requeue = .at(status.retry?.notBefore.date ?? context.now)

        case (.rescale, .done):
            status.lastAppliedSpecHash = context.desiredHash
            status.lastAppliedSpec = context.desired.boundedCopy
            // `status.parallelism` stays what Flink reports: the adaptive scheduler applies the new requirements
            // a moment later, and the status must not claim them before they hold.
            if status.retry?.operation == .rescale { status.retry = nil }
        case (.rescale, .rescaleFailed(let message)):
            status.retry = RetryBackoff.failed(status.retry, .rescale, reason: Reason.rescaleFailed.rawValue, message: message,
                                               specHash: context.desiredHash, context: context)
            events.append(JobEvent(.warning, .rescaleFailed, "Rescale", message))
            requeue = .at(status.retry?.notBefore.date ?? context.now)

        case (.cancel, .done):
            if status.retry?.operation == .cancel { status.retry = nil }
        case (.disposeSavepoints(let paths), .done):
            let remaining = (status.savepoints?.disposals ?? []).filter { !paths.contains($0) }
            status.savepoints?.disposals = remaining.isEmpty ? nil : remaining

        case (_, .unreachable(let message)):
            if let operation = operation(of: action) {
                let specHash: String? = operation == .prepare || operation == .submit || operation == .rescale ? context.desiredHash : nil
                status.retry = RetryBackoff.failed(
                    status.retry, operation, reason: Reason.flinkUnavailable.rawValue, message: message, specHash: specHash,
                    context: context)
                requeue = .at(status.retry?.notBefore.date ?? context.now)
            } else {
                requeue = .unavailable
            }
        default:
            requeue = .steady
        }
        return Step(status, events: events, requeue: requeue)
    }

    static func running(_ status: FlinkJobStatus) -> Bool {
        status.phase == .running || status.phase == .stopping
    }

    static func operation(of action: JobAction) -> FlinkJobStatus.Retry.Operation? {
        switch action {
        case .prepare: .prepare
        case .deploy: .submit
        case .triggerSavepoint, .stopWithSavepoint: .savepoint
        case .rescale: .rescale
        case .cancel: .cancel
        case .none, .disposeSavepoints, .removeFinalizer, .deleteObject: nil
        }
    }

    /// Flink refused a streaming submission for good: a job failure.
    static func submissionRefused(_ deployment: Deployment, message: String, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        status.job?.submission = .refused
        var failures = FailureBudget.counting(status.failures, message: message, now: context.nowTime)
        failures.lastJobId = deployment.jobID
        status.failures = failures
        var events = [JobEvent(.warning, .deployFailed, "Deploy", message)]
        if StreamingLifecycle.rollbackPossible(context, status) {
            status.rollback = .init(
                failedSpecHash: DeploySpec(context.spec, referencedContentHash: context.desired.referencedContentHash).hash,
                time: context.nowTime)
            status.pendingDeploy = .init(reason: .rollback, restorePath: deployment.restorePath, since: context.nowTime)
            status.phase = .pending
            events.append(JobEvent(.warning, .rollingBack, "Rollback", "Flink refused the new spec (\(message)); rolling back to the last stable spec"))
            return Step(status, events: events, requeue: .now)
        }
        if FailureBudget.isExhausted(status.failures, context.spec) {
            status.phase = .failed
            events.append(JobEvent(.warning, .backoffLimitExceeded, "Deploy", "\(message) (backoff limit \(context.spec.recovery.backoffLimit) reached)"))
            return Step(status, events: events, requeue: .steady)
        }
        // Retry from the same state, unless Flink could not find it (then decide afresh).
        let missing = RestorePointPolicy.missingRestorePath(in: message) != nil
        status.pendingDeploy = missing ? nil : .init(reason: .retry, restorePath: deployment.restorePath, since: context.nowTime)
        status.phase = .pending
        return Step(status, events: events, requeue: .at(FailureBudget.retryTime(status.failures, context.settings) ?? context.now))
    }

    /// A batch run's submission failed for good: the run ends Failed.
    static func runSubmissionFailed(_ deployment: Deployment, message: String, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        guard let run = status.runs?.active?.first(where: { $0.jobId == deployment.jobID }) else { return Step(status) }
        let remaining = (status.runs?.active ?? []).filter { $0.jobId != deployment.jobID }
        status.runs?.active = remaining.isEmpty ? nil : remaining
        let (ended, events) = BatchLifecycle.end(run, .failed, "submission failed: \(message)", context, status)
        status = BatchLifecycle.pruned(ended, context)
        if status.runs?.active == nil { status.phase = .pending }
        return Step(status, events: [JobEvent(.warning, .deployFailed, "Deploy", message)] + events, requeue: .now)
    }
}
