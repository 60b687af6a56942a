import Foundation

/// What one lifecycle function decides: the status it leaves, at most one action, events, and when to look again.
///
/// A value returned, never a builder handed around: each function takes the status it starts from and returns
/// the one it leaves; `JobPlanner` chains them.
struct Step: Sendable {
    var status: FlinkJobStatus
    var action: JobAction = .none
    var events: [JobEvent] = []
    var requeue: Requeue = .steady

    init(_ status: FlinkJobStatus, action: JobAction = .none, events: [JobEvent] = [], requeue: Requeue = .steady) {
        self.status = status
        self.action = action
        self.events = events
        self.requeue = requeue
    }
}

/// When to reconcile again if nothing changes.
enum Requeue: Sendable, Hashable {
    /// At once (the next step depends on what was just recorded).
    case now
    /// Soon: something is in progress.
    case progress
    /// The periodic check.
    case steady
    /// The cluster cannot be used.
    case unavailable
    /// At this time (a backoff or a schedule), at the latest after the steady interval.
    case at(Date)

    /// The delay for `context`.
    func delay(_ context: PlanContext) -> Duration {
        switch self {
        case .now: .zero
        case .progress: context.settings.progressRequeue
        case .steady: context.jittered(context.settings.steadyRequeue)
        case .unavailable: context.jittered(context.settings.unavailableRequeue)
        case .at(let date):
            min(
                .milliseconds(Int64(max(0.2, date.timeIntervalSince(context.now)) * 1000)),
                context.jittered(context.settings.steadyRequeue))
        }
    }

    /// The sooner of two requeues.
    func sooner(_ other: Requeue, _ context: PlanContext) -> Requeue {
        delay(context) <= other.delay(context) ? self : other
    }
}

extension FlinkJobStatus.Hold {
    /// The annotation whose value, when it equals a hold's token, releases that hold.
    public static let releaseAnnotation = "flink.jobcontroller.io/release-hold"
}
