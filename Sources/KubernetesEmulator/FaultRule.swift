/// Which requests a fault applies to.
public struct RequestMatcher: Sendable {
    /// How the path is matched.
    public enum Path: Sendable {
        case any
        case prefix(String)
        /// An ICU regular expression searched in the path (anchor it with `^…$` for whole paths).
        case regex(String)
    }

    /// The HTTP method (`GET`, …), or `nil` for any.
    public var method: String?
    public var path: Path
    /// Only watch requests (`watch=true`), only non-watch requests, or both (`nil`).
    public var watch: Bool?

    public init(method: String? = nil, path: Path = .any, watch: Bool? = nil) {
        self.method = method
        self.path = path
        self.watch = watch
    }

    func matches(method: String, path: String, isWatch: Bool) -> Bool {
        if let m = self.method, m.uppercased() != method.uppercased() { return false }
        if let w = watch, w != isWatch { return false }
        switch self.path {
        case .any: return true
        case .prefix(let p): return path.hasPrefix(p)
        case .regex(let r): return PatternCache.matches(r, path)
        }
    }
}

/// A programmed failure: the next `count` matching requests get `status` with a Status body.
public struct FaultRule: Sendable {
    public var matcher: RequestMatcher
    public var status: Int
    /// The Status `message` (a default per status when `nil`).
    public var message: String?
    /// Sent as `Retry-After` and `details.retryAfterSeconds` (typical for 429 and 503).
    public var retryAfterSeconds: Int?
    /// How many requests still fail; `nil` means every matching request until cleared.
    public var count: Int?

    public init(matching matcher: RequestMatcher, status: Int, message: String? = nil, retryAfterSeconds: Int? = nil, count: Int? = 1) {
        self.matcher = matcher
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.count = count
    }
}

/// Added latency for matching requests.
public struct LatencyRule: Sendable {
    public var matcher: RequestMatcher
    public var delay: Duration
    /// How many requests are still delayed; `nil` for all until cleared.
    public var count: Int?

    public init(matching matcher: RequestMatcher, delay: Duration, count: Int? = nil) {
        self.matcher = matcher
        self.delay = delay
        self.count = count
    }
}
