/// How a watch request starts and filters.
public struct WatchOptions: Sendable, Hashable {
    /// Deliver changes strictly after this version; `nil` (or `"0"`) first sends an ADDED per existing object.
    public var resourceVersion: String?
    /// Ask for BOOKMARK events (progress markers the caller can resume from).
    public var allowWatchBookmarks: Bool
    /// The server ends the stream after this many seconds (it may end it earlier).
    public var timeoutSeconds: Int?
    /// A label selector in query syntax.
    public var labelSelector: String?
    /// A field selector.
    public var fieldSelector: String?
    /// Stream the current state as ADDED events followed by a BOOKMARK marking their end (needs
    /// `resourceVersionMatch=NotOlderThan`, which is then sent automatically, and bookmarks).
    public var sendInitialEvents: Bool?
    /// How `resourceVersion` is matched (only meaningful with `sendInitialEvents`).
    public var resourceVersionMatch: ResourceVersionMatch?

    /// Options with the given values; bookmarks are on by default.
    public init(
        resourceVersion: String? = nil, allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil,
        labelSelector: String? = nil, fieldSelector: String? = nil, sendInitialEvents: Bool? = nil,
        resourceVersionMatch: ResourceVersionMatch? = nil
    ) {
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.sendInitialEvents = sendInitialEvents
        self.resourceVersionMatch = resourceVersionMatch
    }

    /// The query items, `watch=true` first.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = [("watch", "true")]
        if let labelSelector { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector { items.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        if let sendInitialEvents {
            items.append(("sendInitialEvents", sendInitialEvents ? "true" : "false"))
        }
        if let match = resourceVersionMatch ?? (sendInitialEvents == true ? .notOlderThan : nil) {
            items.append(("resourceVersionMatch", match.rawValue))
        }
        return items
    }
}
