/// How a list request selects and pages.
public struct ListOptions: Sendable, Hashable {
    /// A label selector in query syntax (`app=x,tier in (a,b),!legacy`).
    public var labelSelector: String?
    /// A field selector (`metadata.name=x`, `metadata.namespace!=y`).
    public var fieldSelector: String?
    /// The page size; the server then returns a `continue` token while items remain.
    public var limit: Int?
    /// The `continue` token of the previous page.
    public var continueToken: String?
    /// Serve the list at (or not older than) this version; see `resourceVersionMatch`.
    public var resourceVersion: String?
    /// How `resourceVersion` is interpreted.
    public var resourceVersionMatch: ResourceVersionMatch?
    /// A server-side timeout for the list call.
    public var timeoutSeconds: Int?

    /// Options with the given values; the defaults list everything in one page, consistently (from etcd).
    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: ResourceVersionMatch? = nil, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
    }

    /// The query items, in a stable order.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector { items.append(("fieldSelector", fieldSelector)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken { items.append(("continue", continueToken)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(("resourceVersionMatch", resourceVersionMatch.rawValue)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

/// How a list's `resourceVersion` is matched.
public enum ResourceVersionMatch: String, Sendable, Hashable {
    /// Exactly that version (410 when compacted away).
    case exact = "Exact"
    /// That version or newer.
    case notOlderThan = "NotOlderThan"
}
