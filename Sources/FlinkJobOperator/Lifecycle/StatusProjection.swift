import Foundation
import Kubernetes

/// Derives what users read — the conditions, the printer column's `state`, `message` — from the stored lifecycle
/// record (`phase`, `stop`, `retry`, `hold`, `health`, `failures`, `rollback`, batch `runs`), the observation and the
/// spec's refusals. Nothing derived here is ever read back as an input; the only thing taken from the previous
/// conditions is `lastTransitionTime` when a condition's status did not flip.
enum StatusProjection {
    /// One condition's value.
    struct Value: Sendable, Hashable {
        var status: Condition.Status
        var reason: String
        var message: String

        init(_ status: Condition.Status, _ reason: Reason, _ message: String) {
            self.init(status, reason.rawValue, message)
        }

        init(_ status: Condition.Status, _ reason: String, _ message: String) {
            self.status = status
            self.reason = reason
            self.message = message
        }
    }

    /// The conditions a pass derives.
    struct Report: Sendable, Hashable {
        var ready: Value
        var progressing: Value
        var degraded: Value
        var succeeded: Value?
    }

    static func project(_ status: FlinkJobStatus, _ context: PlanContext) -> FlinkJobStatus {
        var status = status
        let report = context.spec.type == .batch ? batchReport(status, context) : streamingReport(status, context)
        var conditions = status.conditions ?? []
        let generation = context.job.metadata.generation
        conditions.set(ConditionType.ready, report.ready, generation: generation, now: context.nowTime)
        conditions.set(ConditionType.progressing, report.progressing, generation: generation, now: context.nowTime)
        conditions.set(ConditionType.degraded, report.degraded, generation: generation, now: context.nowTime)
        if let succeeded = report.succeeded {
            conditions.set(ConditionType.succeeded, succeeded, generation: generation, now: context.nowTime)
        } else {
            conditions.remove(type: ConditionType.succeeded)
        }
        status.conditions = conditions
        status.state = summary(status, context)
        let headline = report.ready.status != .true ? report.ready.message : (report.degraded.status == .true ? report.degraded.message : "")
        status.message = headline.isEmpty ? nil : headline
        return status
    }

    // MARK: Streaming

    static func streamingReport(_ status: FlinkJobStatus, _ context: PlanContext) -> Report {
        let phase = status.phase ?? .pending
        let snapshot = context.observation.job.flatMap { $0.id == status.job?.id ? $0 : nil }
        let jobID = status.job?.id ?? "-"
        var ready: Value
        var progressing: Value
        let degraded = self.degraded(status, context, snapshot: snapshot)

        if let hold = status.hold, phase == .held || context.deleting {
            let value = Value(.false, hold.reason.rawValue, hold.message)
            return Report(ready: value, progressing: value, degraded: degraded)
        }
        if context.deleting {
            let deleting = Value(.false, .deleting, "stopping the Flink job before deletion")
            return Report(ready: deleting, progressing: Value(.true, .deleting, deleting.message), degraded: degraded)
        }
        if let refusal = refusal(context) {
            // A running job is left alone; the refusal is what the user must act on.
            return Report(ready: refusal, progressing: refusal, degraded: degraded)
        }
        switch context.observation.cluster {
        case .missing:
            let value = Value(.false, .clusterNotFound, "FlinkSessionCluster \"\(context.spec.clusterRef.name)\" does not exist")
            return Report(ready: value, progressing: value, degraded: degraded)
        case .unavailable(let reason):
            let message = "Flink cluster \"\(context.spec.clusterRef.name)\" is unavailable: \(reason)"
            return Report(ready: Value(.unknown, .clusterUnavailable, message), progressing: phaseProgress(status, context, snapshot),
                          degraded: degraded)
        case .available:
            break
        }
        switch phase {
        case .running, .stopping:
            ready = readiness(snapshot, jobID: jobID, status: status)
            if phase == .stopping, snapshot.map({ !$0.isFullyRunning }) ?? true {
                ready = Value(.false, stopReason(status), stopMessage(status))
            }
        case .deploying:
            ready = Value(.false, .deploying, "submitting job \(jobID)\(from(status.job?.restoredFrom))")
        case .pending:
            if let retry = status.retry {
                ready = Value(.false, retry.reason, retry.message)
            } else if let failures = status.failures, failures.count > 0, let message = failures.lastMessage {
                ready = Value(.false, .jobFailed, message)
            } else {
                ready = Value(.false, status.deploySequence == nil ? .pending : .deploying, "no Flink job runs yet")
            }
        case .suspended:
            ready = Value(.false, .suspended, "spec.state is Suspended")
        case .finished:
            ready = Value(.false, .jobFinished, "job \(jobID) finished")
        case .failed:
            let never = context.spec.recovery.onFailure == .never
            let why = never ? "recovery.onFailure is Never" : "backoff limit \(context.spec.recovery.backoffLimit) reached"
            ready = Value(.false, never ? .jobFailed : .backoffLimitExceeded, "\(status.failures?.lastMessage ?? "the job failed") (\(why))")
        case .held, .scheduled, .succeeded:
            ready = Value(.false, .pending, "")
        }
        progressing = phaseProgress(status, context, snapshot)
        return Report(ready: ready, progressing: progressing, degraded: degraded)
    }

    static func readiness(_ snapshot: FlinkJobSnapshot?, jobID: String, status: FlinkJobStatus) -> Value {
        guard let snapshot else { return Value(.false, .deploying, "waiting for job \(jobID) to appear in Flink") }
        if snapshot.isFullyRunning {
            return Value(.true, .running, "job \(snapshot.id) is running with all \(snapshot.tasks.total) tasks")
        }
        switch snapshot.state {
        case .running:
            return Value(.false, .tasksPending, "\(snapshot.tasks.running) of \(snapshot.tasks.total) tasks running; the rest wait for slots")
        case .restarting, .failing:
            return Value(.false, .jobRestarting, "job \(snapshot.id) is \(snapshot.state.rawValue)" + (snapshot.failureCause.map { ": \($0)" } ?? ""))
        default:
            return Value(.false, .deploying, "job \(snapshot.id) is \(snapshot.state.rawValue)")
        }
    }

    static func phaseProgress(_ status: FlinkJobStatus, _ context: PlanContext, _ snapshot: FlinkJobSnapshot?) -> Value {
        let jobID = status.job?.id ?? "-"
        switch status.phase ?? .pending {
        case .pending:
            if let retry = status.retry {
                return Value(.true, .retryPending, "retrying at \(retry.notBefore) after: \(retry.message)")
            }
            if let at = FailureBudget.retryTime(status.failures, context.settings), at > context.now {
                return Value(.true, .retryPending, "retrying at \(KubeTime(at)) after failure \(status.failures?.count ?? 0)")
            }
            return Value(.true, context.isPrepared(status) ? .deploying : .preparing, "preparing the artifact and deploying the job")
        case .deploying:
            return Value(.true, .deploying, "submitting job \(jobID)\(from(status.job?.restoredFrom)) (\(status.job?.reason?.rawValue ?? "Initial"))")
        case .running:
            if let pending = status.savepoints?.pending {
                return Value(.true, .savepointInProgress, "\(pending.reason.rawValue) savepoint \(pending.triggerId) in progress")
            }
            if context.specChanged(status), context.referencesKnown, !context.specChangeIsRescaleOnly(status) {
                if let retry = status.retry {
                    return Value(.true, .upgradePending, "the new spec is not deployed yet: \(retry.message); the job keeps running")
                }
                return Value(.true, .upgrading, "preparing the new spec's artifact; the job keeps running until it is ready")
            }
            if context.specChanged(status), context.specChangeIsRescaleOnly(status) {
                return Value(.true, .rescaling, "rescaling in place to parallelism \(context.desired.parallelism)")
            }
            guard let snapshot, snapshot.isFullyRunning else {
                let readiness = readiness(snapshot, jobID: jobID, status: status)
                return Value(.true, readiness.reason, readiness.message)
            }
            return Value(.false, .stable, "the applied spec is running")
        case .stopping:
            return Value(.true, stopReason(status), stopMessage(status))
        case .suspended:
            return Value(.false, .suspended, "spec.state is Suspended")
        case .finished:
            return Value(.false, .jobFinished, "job \(jobID) finished")
        case .failed:
            return Value(.false, .jobFailed, status.failures?.lastMessage ?? "the job failed")
        case .held:
            return Value(.false, status.hold?.reason.rawValue ?? Reason.noRestorePoint.rawValue, status.hold?.message ?? "")
        case .scheduled, .succeeded:
            return Value(.false, .completed, "")
        }
    }

    static func degraded(_ status: FlinkJobStatus, _ context: PlanContext, snapshot: FlinkJobSnapshot?) -> Value {
        if let hold = status.hold { return Value(.true, hold.reason.rawValue, hold.message) }
        if case .unavailable(let reason) = context.observation.cluster {
            return Value(.true, .clusterUnavailable, "Flink cluster \"\(context.spec.clusterRef.name)\" is unavailable: \(reason)")
        }
        if let retry = status.retry { return Value(.true, retry.reason, retry.message) }
        if status.phase == .failed { return Value(.true, .jobFailed, status.failures?.lastMessage ?? "the job failed") }
        if status.rollback != nil {
            return Value(.true, .rolledBack, "the new spec did not run healthily; rolled back to the last stable spec until the spec changes")
        }
        if let problems = status.health?.problems, !problems.isEmpty {
            return Value(.true, problems.map(\.reason).joined(separator: "And"), problems.map(\.message).joined(separator: "; "))
        }
        if let snapshot, snapshot.state == .restarting || snapshot.state == .failing {
            return Value(.true, .jobRestarting, "job \(snapshot.id) is \(snapshot.state.rawValue)" + (snapshot.failureCause.map { ": \($0)" } ?? ""))
        }
        if status.phase == .pending, let failures = status.failures, failures.count > 0 {
            return Value(.true, .jobFailed, failures.lastMessage ?? "the job failed")
        }
        return Value(.false, .healthy, "")
    }

    static func refusal(_ context: PlanContext) -> Value? {
        if !context.validationErrors.isEmpty {
            return Value(.false, .invalidSpec, context.validationErrors.joined(separator: "; "))
        }
        guard let first = context.refusals.first else { return nil }
        return Value(.false, first.reason, context.refusals.map(\.message).joined(separator: "; "))
    }

    static func stopReason(_ status: FlinkJobStatus) -> Reason {
        switch status.stop?.purpose {
        case .suspend?: .suspending
        case .delete?: .deleting
        default: status.stop?.mode == .savepoint ? .stoppingWithSavepoint : .upgrading
        }
    }

    static func stopMessage(_ status: FlinkJobStatus) -> String {
        guard let stop = status.stop else { return "stopping the job" }
        let how = stop.mode == .savepoint ? "stopping job \(stop.jobId) with a savepoint" : "cancelling job \(stop.jobId)"
        return "\(how) (\(stop.purpose.rawValue.lowercased()))"
    }

    static func from(_ path: String?) -> String { path.map { " from \($0)" } ?? "" }

    // MARK: Summary

    /// The printer column, from the phase.
    static func summary(_ status: FlinkJobStatus, _ context: PlanContext) -> FlinkJobStatus.SummaryState {
        if context.deleting { return .deleting }
        switch status.phase ?? .pending {
        case .pending:
            if context.spec.type == .batch { return status.runs?.history?.isEmpty == false ? .scheduled : .pending }
            return status.deploySequence == nil ? .pending : .deploying
        case .deploying:
            switch status.job?.reason {
            case .upgrade?, .rollback?: return .upgrading
            default: return .deploying
            }
        case .running:
            if context.spec.type == .streaming, context.specChanged(status), context.referencesKnown, refusal(context) == nil {
                return .upgrading
            }
            return .running
        case .stopping:
            switch status.stop?.purpose {
            case .suspend?: return .suspending
            case .delete?: return .deleting
            default: return .upgrading
            }
        case .suspended: return .suspended
        case .finished, .succeeded: return .succeeded
        case .failed: return .failed
        case .held: return .held
        case .scheduled: return .scheduled
        }
    }
}

extension Array where Element == Condition {
    /// Sets a derived condition (keeping `lastTransitionTime` unless its status flips).
    mutating func set(_ type: String, _ value: StatusProjection.Value, generation: Int64?, now: KubeTime) {
        set(type, status: value.status, reason: value.reason, message: String(value.message.prefix(32 * 1024)),
            observedGeneration: generation, now: now)
    }
}

extension PlanContext {
    /// Whether the spec `status` applied and the desired one differ in parallelism only and the cluster rescales
    /// in place.
    func specChangeIsRescaleOnly(_ status: FlinkJobStatus) -> Bool {
        guard let applied = DeploySpec.copy(status.lastAppliedSpec, matching: status.lastAppliedSpecHash) else { return false }
        return applied.differsOnlyInParallelism(from: desired) && (facts?.supportsInPlaceRescale ?? false)
    }
}

/// Condition types the operator maintains.
public enum ConditionType {
    public static let ready = "Ready"
    public static let progressing = "Progressing"
    public static let degraded = "Degraded"
    public static let succeeded = "Succeeded"
}
