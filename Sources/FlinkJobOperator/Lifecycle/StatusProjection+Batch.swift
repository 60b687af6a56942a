import Foundation
import Kubernetes

extension StatusProjection {
    /// The conditions of a batch job, from its phase, runs and history.
    static func batchReport(_ status: FlinkJobStatus, _ context: PlanContext) -> Report {
        let phase = status.phase ?? .pending
        let runs = status.runs
        let scheduled = context.spec.batch?.schedule != nil
        let last = runs?.history?.first
        let lastMessage = last.map { "run \($0.run) \($0.result.rawValue.lowercased())" + ($0.message.map { ": \($0)" } ?? "") } ?? ""
        var succeeded: Value? = last.map { record in
            switch record.result {
            case .succeeded: Value(.true, .runSucceeded, "run \(record.run) succeeded")
            case .deadlineExceeded: Value(.false, .deadlineExceeded, lastMessage)
            case .unknown: Value(.unknown, .runOutcomeUnknown, lastMessage)
            case .failed, .canceled: Value(.false, .runFailed, lastMessage)
            }
        }
        var degraded: Value = last.map { record in
            record.result == .succeeded || record.result == .unknown ? Value(.false, .runSucceeded, "") : Value(.true, .runFailed, lastMessage)
        } ?? Value(.false, .healthy, "")
        if let hold = status.hold { degraded = Value(.true, hold.reason.rawValue, hold.message) }
        if case .unavailable(let reason) = context.observation.cluster {
            degraded = Value(.true, .clusterUnavailable, "Flink cluster \"\(context.spec.clusterRef.name)\" is unavailable: \(reason)")
        }
        if context.deleting {
            let value = Value(.false, .deleting, "cancelling active runs before deletion")
            return Report(ready: value, progressing: Value(.true, .deleting, value.message), degraded: degraded, succeeded: succeeded)
        }
        if let refusal = refusal(context) {
            return Report(ready: refusal, progressing: refusal, degraded: degraded, succeeded: succeeded)
        }
        if case .missing = context.observation.cluster {
            let value = Value(.false, .clusterNotFound, "FlinkSessionCluster \"\(context.spec.clusterRef.name)\" does not exist")
            return Report(ready: value, progressing: value, degraded: degraded, succeeded: succeeded)
        }
        switch phase {
        case .running:
            let ids = (runs?.active ?? []).map { "run \($0.run)" }.joined(separator: ", ")
            if !scheduled { succeeded = Value(.unknown, .runActive, "\(ids) active") }
            return Report(ready: Value(.true, .runActive, "\(ids) active"), progressing: Value(.true, .runActive, "\(ids) active"),
                          degraded: degraded, succeeded: succeeded)
        case .succeeded:
            if scheduled {
                let done = "all \(context.spec.batch?.maxRuns ?? 0) runs are done; nothing more is scheduled"
                return Report(ready: Value(.true, .completed, "the schedule is complete"),
                              progressing: Value(.false, .completed, "the schedule is complete"),
                              degraded: degraded, succeeded: Value(.true, .maxRunsReached, done))
            }
            return Report(ready: Value(.true, .completed, "the batch job completed"),
                          progressing: Value(.false, .completed, "the batch job completed"),
                          degraded: Value(.false, .completed, ""), succeeded: succeeded)
        case .failed:
            let why = context.spec.recovery.onFailure == .never ? "no retries (recovery.onFailure Never)"
                : "backoff limit \(context.spec.recovery.backoffLimit) reached"
            let failed = Value(.false, succeeded?.reason ?? Reason.runFailed.rawValue, "\(lastMessage) (\(why))")
            return Report(ready: Value(.false, .failed, failed.message), progressing: Value(.false, .failed, why),
                          degraded: Value(.true, .runFailed, lastMessage), succeeded: failed)
        case .suspended:
            return Report(ready: Value(.false, .suspended, "spec.state is Suspended: no new runs start"),
                          progressing: Value(.false, .suspended, "spec.state is Suspended"), degraded: degraded, succeeded: succeeded)
        case .scheduled:
            let next = runs?.nextScheduleTime.map { "next run at \($0)" } ?? "no future schedule time"
            return Report(ready: Value(.true, .scheduled, next), progressing: Value(.false, .scheduled, "waiting for the next schedule time"),
                          degraded: degraded, succeeded: succeeded)
        case .held:
            let hold = Value(.false, status.hold?.reason.rawValue ?? Reason.runOutcomeUnknown.rawValue, status.hold?.message ?? "")
            return Report(ready: hold, progressing: hold, degraded: degraded, succeeded: succeeded)
        case .pending, .deploying, .stopping, .finished:
            if let last, last.result != .succeeded, let at = FailureBudget.retryTime(status.failures, context.settings) ?? last.endTime?.date,
                at > context.now
            {
                let retry = "retry \(status.failures?.count ?? 0) of \(context.spec.recovery.backoffLimit) at \(KubeTime(at)) after: \(lastMessage)"
                return Report(ready: Value(.false, .retryPending, retry), progressing: Value(.true, .retryPending, retry),
                              degraded: degraded, succeeded: succeeded)
            }
            return Report(ready: Value(.false, .pending, "no run has started yet"), progressing: Value(.true, .runStarting, "starting a run"),
                          degraded: degraded, succeeded: succeeded)
        }
    }
}
