import Kubernetes

/// A per-cluster circuit breaker as a pure state machine: `Closed → Open` after `failureThreshold` consecutive
/// failures (or at once when the server asked for a delay with `Retry-After`), `Open → HalfOpen` once
/// `openDuration` (or the server's delay, if longer) has passed, `HalfOpen → Closed` on a success or back to `Open`
/// on a failure.
///
/// Half-open lets exactly **one** trial request through; every other caller is rejected until the trial's
/// outcome is recorded (or, should the trial never report, until another `openDuration` has passed).
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
    /// How long the breaker stays open this time (`openDuration`, or longer when the server asked).
    private var openFor: Duration?
    /// When the half-open trial went out, while it is in flight.
    private var trialStartedAt: ContinuousClock.Instant?

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
            if let started = trialStartedAt, now < started + openDuration {
                return .reject(reason: "circuit breaker half-open: a trial request is in flight", retryAt: started + openDuration)
            }
            trialStartedAt = now
            return .trial
        case .open:
            let retryAt = (openedAt ?? now) + (openFor ?? openDuration)
            if now >= retryAt {
                state = .halfOpen
                trialStartedAt = now
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
        openFor = nil
        trialStartedAt = nil
    }

    /// A request failed transiently at `now`.
    ///
    /// - Parameter retryAfter: the delay the server asked for (`Retry-After`): the breaker opens at once and stays
    ///   open at least that long.
    public mutating func recordFailure(
        _ message: String, now: ContinuousClock.Instant, wallClock: KubeTime, retryAfter: Duration? = nil
    ) {
        consecutiveFailures += 1
        lastFailure = message
        lastFailureTime = wallClock
        trialStartedAt = nil
        switch state {
        case .halfOpen:
            open(now: now, wallClock: wallClock, retryAfter: retryAfter)
        case .closed where consecutiveFailures >= failureThreshold || retryAfter != nil:
            open(now: now, wallClock: wallClock, retryAfter: retryAfter)
        case .open:
            if let retryAfter, now + retryAfter > (openedAt ?? now) + (openFor ?? openDuration) {
                open(now: now, wallClock: wallClock, retryAfter: retryAfter)
            }
        case .closed:
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

    private mutating func open(now: ContinuousClock.Instant, wallClock: KubeTime, retryAfter: Duration? = nil) {
        state = .open
        openedAt = now
        openedAtTime = wallClock
        openFor = max(openDuration, retryAfter ?? .zero)
    }
}
