
/// A programmed failure: the next `count` matching requests get `status` with a Status body.
public struct FaultRule: Sendable {
    /// Which requests fail.
    public var matcher: RequestMatcher
    /// The HTTP status to answer with.
    public var status: Int
    /// The Status `message` (a default per status when `nil`).
    public var message: String?
    /// Sent as `Retry-After` and `details.retryAfterSeconds` (typical for 429 and 503).
    public var retryAfterSeconds: Int?
    /// How many requests still fail; `nil` means every matching request until cleared.
    public var count: Int?

    /// Fails the next `count` matching requests (`nil`: until cleared).
    public init(matching matcher: RequestMatcher, status: Int, message: String? = nil, retryAfterSeconds: Int? = nil, count: Int? = 1) {
        self.matcher = matcher
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.count = count
    }
}
