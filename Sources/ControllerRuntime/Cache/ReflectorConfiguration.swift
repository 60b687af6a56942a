/// What a `Reflector` lists and watches, and how it retries.
public struct ReflectorConfiguration: Sendable {
    /// The namespaces to cache.
    public enum Namespaces: Sendable, Hashable {
        /// Every namespace, with one list/watch (cluster-scoped kinds always use this).
        case all
        /// Only these namespaces, each with its own list/watch (for operators whose RBAC covers only them).
        case only([String])
    }

    /// The namespaces to cache.
    public var namespaces: Namespaces
    /// A label selector in query syntax; only matching objects are cached.
    public var labelSelector: String?
    /// The list page size (`nil` lists in one request).
    public var pageSize: Int?
    /// How long the reflector asks the server to keep one watch open before it resumes with a new one.
    public var watchTimeout: Duration
    /// The delay between failed attempts.
    public var backoff: Backoff

    /// A configuration with the given values.
    public init(
        namespaces: Namespaces = .all, labelSelector: String? = nil, pageSize: Int? = 500,
        watchTimeout: Duration = .seconds(290), backoff: Backoff = Backoff()
    ) {
        self.namespaces = namespaces
        self.labelSelector = labelSelector
        self.pageSize = pageSize
        self.watchTimeout = watchTimeout
        self.backoff = backoff
    }
}
