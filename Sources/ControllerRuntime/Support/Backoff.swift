/// Exponential backoff with jitter: `initial × factor^n`, capped at `maximum`, each delay stretched by a random
/// fraction up to `jitter`.
///
/// A value type: the owner calls `next()` after each failure and `reset()` after progress. The random source is
/// injectable so tests can pin the jitter.
public struct Backoff: Sendable {
    /// The first delay.
    public var initial: Duration
    /// The largest delay (before jitter).
    public var maximum: Duration
    /// The growth per failure.
    public var factor: Double
    /// The largest extra fraction added at random (0.1 = up to +10 %).
    public var jitter: Double
    /// How many failures since the last reset.
    public private(set) var failures = 0

    /// A backoff with the given shape; the defaults are kube-rs's watcher backoff (0.8 s doubling to 30 s).
    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), factor: Double = 2, jitter: Double = 1) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
    }

    /// The delay before the next attempt; counts one more failure.
    public mutating func next(random: Double = Double.random(in: 0..<1)) -> Duration {
        let base = Self.exponential(initial: initial, factor: factor, exponent: failures, maximum: maximum)
        failures += 1
        return base * (1 + jitter * min(max(random, 0), 1))
    }

    /// Forgets the failures: the next delay is `initial` again.
    public mutating func reset() {
        failures = 0
    }

    /// `initial × factor^exponent`, capped at `maximum` without overflowing.
    static func exponential(initial: Duration, factor: Double, exponent: Int, maximum: Duration) -> Duration {
        let initialSeconds = initial.inSeconds
        let maximumSeconds = maximum.inSeconds
        guard initialSeconds > 0 else { return .zero }
        // Beyond this exponent the product exceeds any sensible cap; stop before Double overflows.
        let capped = min(exponent, 64)
        let seconds = initialSeconds * pow(factor, capped)
        return .seconds(min(seconds, maximumSeconds))
    }

    private static func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(exponent, 0) { result *= base }
        return result
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
