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
    /// A job that ran with every task running for this long is healthy: failures before it no longer count
    /// against `recovery.backoffLimit`.
    public var healthyRunDuration: Duration
    /// How long a submission whose answer was lost may still turn up in Flink (the `jars/run` call's own time
    /// limit plus slack): only after it may a different spec be deployed under a new job id.
    public var submissionDoubtWindow: Duration
    /// The largest extra fraction added to periodic requeues, spread over objects so their checks do not fall
    /// on the same instant (0.1 = up to +10 %).
    public var requeueJitter: Double

    public init(
        steadyRequeue: Duration = .seconds(60), progressRequeue: Duration = .seconds(2),
        unavailableRequeue: Duration = .seconds(10), savepointTimeout: Duration = .seconds(900),
        retryBase: Duration = .seconds(10), retryCap: Duration = .seconds(300),
        healthyRunDuration: Duration = .seconds(600), submissionDoubtWindow: Duration = .seconds(200),
        requeueJitter: Double = 0.1
    ) {
        self.steadyRequeue = steadyRequeue
        self.progressRequeue = progressRequeue
        self.unavailableRequeue = unavailableRequeue
        self.savepointTimeout = savepointTimeout
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.healthyRunDuration = healthyRunDuration
        self.submissionDoubtWindow = submissionDoubtWindow
        self.requeueJitter = requeueJitter
    }

    /// The delay before retry number `attempt` (1-based): `retryBase · 2^(attempt-1)`, capped.
    public func retryDelay(attempt: Int) -> Duration {
        guard attempt > 1 else { return retryBase }
        let factor = 1 << min(attempt - 1, 20)
        let delay = retryBase * factor
        return delay > retryCap ? retryCap : delay
    }
}
