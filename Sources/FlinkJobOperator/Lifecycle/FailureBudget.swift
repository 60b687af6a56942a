import Foundation
import Kubernetes

/// `recovery.backoffLimit` as the CRD states it: job failures since the last healthy run (or spec change).
///
/// Only job failures count — a Flink job that failed, or a submission Flink refused because of the program.
/// Transient faults (an unreachable cluster, a 5xx, an artifact server down, a Secret that could not be read) go
/// to `Retry` instead and never make a spec Failed. A job that ran with every task running for
/// `healthyRunDuration` has its earlier failures forgiven.
enum FailureBudget {
    /// `failures` with one more failure at `now`.
    static func counting(_ failures: FlinkJobStatus.Failures?, message: String, now: KubeTime) -> FlinkJobStatus.Failures {
        var failures = failures ?? .init()
        failures.count += 1
        failures.lastTime = now
        failures.lastMessage = String(message.prefix(1024))
        return failures
    }

    /// Whether the failures exhaust the budget (or the spec recovers nothing).
    static func isExhausted(_ failures: FlinkJobStatus.Failures?, _ spec: FlinkJobSpec) -> Bool {
        spec.recovery.onFailure == .never || (failures?.count ?? 0) > spec.recovery.backoffLimit
    }

    /// When the next attempt after the recorded failures may start.
    static func retryTime(_ failures: FlinkJobStatus.Failures?, _ settings: PlannerSettings) -> Date? {
        guard let failures, failures.count > 0, let last = failures.lastTime else { return nil }
        return last.date.addingTimeInterval(settings.retryDelay(attempt: failures.count).secondsDouble)
    }

    /// Whether the current job has run healthily long enough for earlier failures to be forgiven.
    static func forgives(_ status: FlinkJobStatus, _ context: PlanContext) -> Bool {
        guard let failures = status.failures, failures.count > 0, let since = status.job?.healthySince else { return false }
        return context.now.timeIntervalSince(since.date) >= context.settings.healthyRunDuration.secondsDouble
            && since.date >= (failures.lastTime?.date ?? .distantPast)
    }
}

/// Backoff of operations that failed without the job failing (`status.retry`).
enum RetryBackoff {
    /// The retry record after one more failure of `operation`.
    static func failed(
        _ previous: FlinkJobStatus.Retry?, _ operation: FlinkJobStatus.Retry.Operation, reason: String, message: String,
        specHash: String?, context: PlanContext, retryAfter: Duration? = nil
    ) -> FlinkJobStatus.Retry {
        let attempts = previous?.operation == operation && previous?.specHash == specHash ? (previous?.attempts ?? 0) + 1 : 1
        var delay = context.settings.retryDelay(attempt: attempts)
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return FlinkJobStatus.Retry(
            operation: operation, attempts: attempts, notBefore: KubeTime(context.now.addingTimeInterval(delay.secondsDouble)),
            reason: reason, message: String(message.prefix(1024)), specHash: specHash)
    }

    /// Whether `operation` may be tried now (for `specHash`): no record of it, a record for another spec, or its
    /// time has come.
    static func allows(_ retry: FlinkJobStatus.Retry?, _ operation: FlinkJobStatus.Retry.Operation, specHash: String?, now: Date) -> Bool {
        guard let retry, retry.operation == operation, retry.specHash == specHash else { return true }
        return now >= retry.notBefore.date
    }
}
