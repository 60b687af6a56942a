import JSONCore

/// Everything a watch stream needs once the request was accepted.
struct WatchPlan: Sendable {
    /// Which changes the watch sees.
    var filter: WatchFilter
    /// Events sent first (synthetic ADDED, the initial-events-end BOOKMARK, or a single ERROR).
    var initialEvents: [JSONValue]
    /// Whether the stream ends right after the initial events (the ERROR case).
    var endsAfterInitialEvents: Bool
    /// Live events strictly after this revision follow.
    var startRevision: Int64
    var allowBookmarks: Bool
    /// The requested `timeoutSeconds` (or the server default), in unscaled seconds.
    var timeoutSeconds: Double
    /// The request path, for fault injection and diagnostics.
    var path: String
}

/// Selects the events of one watch and converts them to the watched API version.
struct WatchFilter: Sendable {
    var type: ResourceType
    var namespace: String?
    var labelSelector: LabelSelector
    var fieldSelector: FieldSelector

    func matches(_ object: JSONValue) -> Bool {
        if let namespace, object[path: ["metadata", "namespace"]]?.stringValue ?? "" != namespace { return false }
        let labels = (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        guard labelSelector.matches(labels) else { return false }
        if !fieldSelector.isEmpty {
            let fields = APIServer.selectableFields(object)
            guard fieldSelector.matches(fields) else { return false }
        }
        return true
    }
}
