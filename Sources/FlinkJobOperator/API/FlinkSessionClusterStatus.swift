import Kubernetes

/// What the operator observed about a session cluster.
public struct FlinkSessionClusterStatus: Sendable, Hashable, Codable {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var flinkVersion: String?
    public var taskManagers: Int?
    public var slotsTotal: Int?
    public var slotsAvailable: Int?
    public var jobsRunning: Int?
    public var scheduler: Scheduler?
    public var circuitBreaker: CircuitBreakerStatus?
    public var lastProbeTime: KubeTime?
    public var message: String?

    /// Flink's `jobmanager.scheduler`; `Adaptive` allows in-place rescaling.
    public enum Scheduler: String, Sendable, Hashable, Codable {
        case `default` = "Default"
        case adaptive = "Adaptive"
        case adaptiveBatch = "AdaptiveBatch"
    }

    public struct CircuitBreakerStatus: Sendable, Hashable, Codable {
        public var state: State
        public var consecutiveFailures: Int?
        public var lastFailure: String?
        public var lastFailureTime: KubeTime?
        public var openedAt: KubeTime?

        public enum State: String, Sendable, Hashable, Codable {
            case closed = "Closed"
            case open = "Open"
            case halfOpen = "HalfOpen"
        }

        public init(
            state: State, consecutiveFailures: Int? = nil, lastFailure: String? = nil, lastFailureTime: KubeTime? = nil,
            openedAt: KubeTime? = nil
        ) {
            self.state = state
            self.consecutiveFailures = consecutiveFailures
            self.lastFailure = lastFailure
            self.lastFailureTime = lastFailureTime
            self.openedAt = openedAt
        }
    }

    public init() {}
}
