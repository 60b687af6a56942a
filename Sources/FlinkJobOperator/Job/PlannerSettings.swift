/// Timing knobs of the planner; the defaults follow DESIGN §2 (steady ≈60 s, in progress a few seconds).
public struct PlannerSettings: Sendable, Hashable {
    /// Requeue interval when nothing is in progress.
    public var steadyRequeue: Duration
    /// Requeue interval while deploying, upgrading or waiting for a savepoint.
    public var progressRequeue: Duration
    /// Requeue interval while the cluster is unavailable.
    public var unavailableRequeue: Duration
    /// A savepoint still in progress after this long is treated as failed.
    public var savepointTimeout: Duration
    /// First retry delay after a failed deploy or savepoint; doubles per consecutive failure.
    public var retryBase: Duration
    /// Upper bound of the retry delay.
    public var retryCap: Duration

    public init(
        steadyRequeue: Duration = .seconds(60), progressRequeue: Duration = .seconds(2),
        unavailableRequeue: Duration = .seconds(10), savepointTimeout: Duration = .seconds(900),
        retryBase: Duration = .seconds(10), retryCap: Duration = .seconds(300)
    ) {
        self.steadyRequeue = steadyRequeue
        self.progressRequeue = progressRequeue
        self.unavailableRequeue = unavailableRequeue
        self.savepointTimeout = savepointTimeout
        self.retryBase = retryBase
        self.retryCap = retryCap
    }

    /// The delay before retry number `attempt` (1-based): `retryBase · 2^(attempt-1)`, capped.
    public func retryDelay(attempt: Int) -> Duration {
        guard attempt > 1 else { return retryBase }
        let factor = 1 << min(attempt - 1, 20)
        let delay = retryBase * factor
        return delay > retryCap ? retryCap : delay
    }
}
