/// Which requests a fault applies to.
public struct RequestMatcher: Sendable {
    /// How the path is matched.
    public enum Path: Sendable {
        /// Any.
        case any
        /// Prefix.
        case prefix(String)
        /// An ICU regular expression searched in the path (anchor it with `^…$` for whole paths).
        case regex(String)
    }

    /// The HTTP method (`GET`, …), or `nil` for any.
    public var method: String?
    /// How the path must match.
    public var path: Path
    /// Only watch requests (`watch=true`), only non-watch requests, or both (`nil`).
    public var watch: Bool?

    /// Matches requests by method, path and whether they watch.
    public init(method: String? = nil, path: Path = .any, watch: Bool? = nil) {
        self.method = method
        self.path = path
        self.watch = watch
    }

    /// Whether a request matches.
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
