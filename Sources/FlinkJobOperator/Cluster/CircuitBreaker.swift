import Kubernetes

/// A per-cluster circuit breaker as a pure state machine: `Closed → Open` after `failureThreshold` consecutive
/// failures, `Open → HalfOpen` once `openDuration` has passed (the next request is the trial), `HalfOpen → Closed`
/// on a success or back to `Open` on a failure.
///
/// Failures of probes and of requests FlinkJob reconciles make (reported through the registry) count alike. Only
/// transient failures (unreachable, timeout, 5xx) should be reported as failures: a 404 or 400 says the cluster
/// answered. Instants are monotonic; wall-clock times are kept only for the status.
public struct CircuitBreaker: Sendable, Hashable {
    /// The breaker's state (the status type's, so it is written as is).
    public typealias State = FlinkSessionClusterStatus.CircuitBreakerStatus.State

    /// Whether a request may go out now, and if not why.
    public enum Decision: Sendable, Hashable {
        /// Closed: go ahead.
        case allow
        /// Half-open: go ahead; this request decides whether the breaker closes or opens again.
        case trial
        /// Open: do not call the cluster until `retryAt`.
        case reject(reason: String, retryAt: ContinuousClock.Instant)
    }

    /// Consecutive failures that open the breaker.
    public var failureThreshold: Int
    /// How long the breaker stays open before a trial.
    public var openDuration: Duration
    /// The current state.
    public private(set) var state: State = .closed
    /// Failures in a row (reset by a success).
    public private(set) var consecutiveFailures = 0
    /// The last failure's message.
    public private(set) var lastFailure: String?
    /// When the last failure happened (wall clock, for the status).
    public private(set) var lastFailureTime: KubeTime?
    /// When the breaker opened (wall clock, for the status).
    public private(set) var openedAtTime: KubeTime?
    private var openedAt: ContinuousClock.Instant?

    /// A closed breaker.
    public init(failureThreshold: Int, openDuration: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.openDuration = openDuration
    }

    /// Whether a request may go out at `now`; moves `Open` to `HalfOpen` when the open duration has passed.
    public mutating func decide(now: ContinuousClock.Instant) -> Decision {
        switch state {
        case .closed:
            return .allow
        case .halfOpen:
            return .trial
        case .open:
            let retryAt = (openedAt ?? now) + openDuration
            if now >= retryAt {
                state = .halfOpen
                return .trial
            }
            return .reject(
                reason: "circuit breaker open after \(consecutiveFailures) consecutive failures"
                    + (lastFailure.map { " (last: \($0))" } ?? ""),
                retryAt: retryAt)
        }
    }

    /// A request succeeded: the breaker closes.
    public mutating func recordSuccess() {
        state = .closed
        consecutiveFailures = 0
        openedAt = nil
        openedAtTime = nil
    }

    /// A request failed transiently at `now`.
    public mutating func recordFailure(_ message: String, now: ContinuousClock.Instant, wallClock: KubeTime, retryAfter: Duration? = nil) {
        consecutiveFailures += 1
        lastFailure = message
        lastFailureTime = wallClock
        switch state {
        case .halfOpen:
            open(now: now, wallClock: wallClock)
        case .closed where consecutiveFailures >= failureThreshold:
            open(now: now, wallClock: wallClock)
        case .closed, .open:
            break
        }
    }

    /// Changes the thresholds (the spec changed) without forgetting the history.
    public mutating func reconfigure(failureThreshold: Int, openDuration: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.openDuration = openDuration
        if state == .closed && consecutiveFailures >= self.failureThreshold, let time = lastFailureTime {
            open(now: .now, wallClock: time)
        }
    }

    /// The breaker as written in `status.circuitBreaker`.
    public var status: FlinkSessionClusterStatus.CircuitBreakerStatus {
        FlinkSessionClusterStatus.CircuitBreakerStatus(
            state: state, consecutiveFailures: consecutiveFailures, lastFailure: lastFailure,
            lastFailureTime: lastFailureTime, openedAt: openedAtTime)
    }

    private mutating func open(now: ContinuousClock.Instant, wallClock: KubeTime) {
        state = .open
        openedAt = now
        openedAtTime = wallClock
    }
}
