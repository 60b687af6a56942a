/// How a controller runs.
public struct ControllerConfiguration: Sendable {
    /// Reconciles running at once (different keys).
    public var workers: Int
    /// How long graceful shutdown waits for in-flight reconciles before cancelling them.
    public var gracefulShutdownTimeout: Duration
    /// The retry backoff and overall retry rate.
    public var rateLimiter: RateLimiter<ObjectKey>.Configuration

    /// A configuration with the given values.
    public init(
        workers: Int = 2, gracefulShutdownTimeout: Duration = .seconds(30),
        rateLimiter: RateLimiter<ObjectKey>.Configuration = .init()
    ) {
        self.workers = max(1, workers)
        self.gracefulShutdownTimeout = gracefulShutdownTimeout
        self.rateLimiter = rateLimiter
    }
}
