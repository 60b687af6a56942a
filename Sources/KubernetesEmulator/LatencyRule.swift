/// Added latency for matching requests.
public struct LatencyRule: Sendable {
    /// Which requests are delayed.
    public var matcher: RequestMatcher
    /// How long each is delayed.
    public var delay: Duration
    /// How many requests are still delayed; `nil` for all until cleared.
    public var count: Int?

    /// Delays the next `count` matching requests (`nil`: until cleared).
    public init(matching matcher: RequestMatcher, delay: Duration, count: Int? = nil) {
        self.matcher = matcher
        self.delay = delay
        self.count = count
    }
}
