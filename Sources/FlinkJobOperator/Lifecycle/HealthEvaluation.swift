import Foundation
import Kubernetes

/// `spec.health`: what makes a running job Degraded without making it unready.
///
/// Messages are stable while a problem lasts (no age that grows every pass), so status is written and a Warning
/// event is emitted when the set of problems changes, not on every pass.
enum HealthEvaluation {
    static func problems(_ snapshot: FlinkJobSnapshot, _ context: PlanContext, _ status: FlinkJobStatus)
        -> [FlinkJobStatus.Health.Problem]
    {
        guard let health = context.spec.health else { return [] }
        var problems: [FlinkJobStatus.Health.Problem] = []
        if let text = health.maxCheckpointAge, let limit = GoDuration.parse(text) {
            let last = status.checkpoints?.lastCompleted?.time?.date ?? snapshot.startTime
            if let last, context.now.timeIntervalSince(last) > limit.secondsDouble {
                let what = status.checkpoints?.lastCompleted.map { "checkpoint \($0.id) at \(KubeTime(last))" }
                    ?? "the job's start at \(KubeTime(last))"
                problems.append(.init(
                    reason: Reason.checkpointTooOld.rawValue,
                    message: "no checkpoint completed since \(what) (health.maxCheckpointAge \(text))"))
            }
        }
        if let threshold = health.maxCheckpointFailures, threshold > 0, let failed = status.checkpoints?.failedCount {
            let inARow = failed - (status.checkpoints?.failedCountAtLastCompleted ?? failed)
            if inARow >= Int64(threshold) {
                let since = status.checkpoints?.lastCompleted.map { "checkpoint \($0.id)" } ?? "the job started"
                problems.append(.init(
                    reason: Reason.checkpointsFailing.rawValue,
                    message: "at least \(threshold) checkpoints in a row failed since \(since) (health.maxCheckpointFailures)"))
            }
        }
        if let threshold = health.backpressureThreshold, let ratio = snapshot.maxBackpressureRatio, ratio.isFinite,
            ratio * 100 > Double(threshold)
        {
            problems.append(.init(
                reason: Reason.backpressured.rawValue,
                message: "a subtask is backpressured more than \(threshold)% of the time (health.backpressureThreshold)"))
        }
        return problems
    }

    /// The health record and the events for `problems` found this pass.
    static func record(_ problems: [FlinkJobStatus.Health.Problem], _ status: FlinkJobStatus) -> (FlinkJobStatus, [JobEvent]) {
        var status = status
        let before = status.health?.problems ?? []
        status.health = problems.isEmpty ? nil : .init(problems: problems)
        let new = problems.filter { problem in !before.contains { $0.reason == problem.reason } }
        return (status, new.map { JobEvent(.warning, reason: $0.reason, action: "Observe", note: $0.message) })
    }
}
