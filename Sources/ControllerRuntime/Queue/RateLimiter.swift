/// When a failed key may be retried: per-key exponential backoff with jitter, bounded by an overall token bucket
/// (client-go's `DefaultControllerRateLimiter`: the later of the two).
///
/// A value type without I/O; the work queue keeps it under its lock. The random source is injectable for tests.
public struct RateLimiter<Key: Hashable & Sendable>: Sendable {
    /// The shape of the limiter.
    public struct Configuration: Sendable, Hashable {
        /// The delay after the first failure.
        public var baseDelay: Duration
        /// The largest per-key delay (before jitter).
        public var maxDelay: Duration
        /// The largest random extra fraction of each per-key delay (0.1 = up to +10 %).
        public var jitter: Double
        /// The overall sustained rate of retries, per second.
        public var ratePerSecond: Double
        /// How many retries may happen at once before the rate applies.
        public var burst: Int

        /// The defaults: 5 ms doubling to 3 minutes with 10 % jitter; 10 retries/s with bursts of 100.
        public init(
            baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(180), jitter: Double = 0.1,
            ratePerSecond: Double = 10, burst: Int = 100
        ) {
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.jitter = jitter
            self.ratePerSecond = ratePerSecond
            self.burst = burst
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private var failures: [Key: Int] = [:]
    private var bucket: TokenBucket

    /// A limiter with a full bucket at `now`.
    public init(configuration: Configuration = Configuration(), now: ContinuousClock.Instant = .now) {
        self.configuration = configuration
        bucket = TokenBucket(ratePerSecond: configuration.ratePerSecond, burst: configuration.burst, now: now)
    }

    /// The delay before `key` may be retried; counts one more failure of `key` and takes a token.
    public mutating func when(_ key: Key, now: ContinuousClock.Instant, random: Double = Double.random(in: 0..<1))
        -> Duration
    {
        let exponent = failures[key, default: 0]
        failures[key] = exponent + 1
        let base = Backoff.exponential(
            initial: configuration.baseDelay, factor: 2, exponent: exponent, maximum: configuration.maxDelay)
        let itemDelay = base * (1 + configuration.jitter * min(max(random, 0), 1))
        return max(itemDelay, bucket.reserve(now: now))
    }

    /// Forgets `key`'s failures (after a success): its next delay is `baseDelay` again.
    public mutating func forget(_ key: Key) {
        failures[key] = nil
    }

    /// How many failures of `key` were counted since it was last forgotten.
    public func failures(of key: Key) -> Int {
        failures[key, default: 0]
    }
}

/// A token bucket (golang.org/x/time/rate's `Reserve`): `burst` tokens, refilled at `ratePerSecond`; a reservation
/// beyond the available tokens is granted for the time the token will exist.
struct TokenBucket: Sendable {
    let ratePerSecond: Double
    let burst: Int
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(ratePerSecond: Double, burst: Int, now: ContinuousClock.Instant) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst)
        tokens = Double(max(1, burst))
        last = now
    }

    /// Takes one token and returns how long to wait until it is really available (zero when at hand).
    mutating func reserve(now: ContinuousClock.Instant) -> Duration {
        guard ratePerSecond > 0 else { return .zero }
        if now > last {
            tokens = min(Double(burst), tokens + (now - last).inSeconds * ratePerSecond)
            last = now
        }
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / ratePerSecond)
    }
}
