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
    /// The allow bookmarks.
    var allowBookmarks: Bool
    /// The requested `timeoutSeconds` (or the server default), in unscaled seconds.
    var timeoutSeconds: Double
    /// The request path, for fault injection and diagnostics.
    var path: String
    /// For `kubectl get -w` (`Accept: …;as=Table`): each event's object becomes a one-row Table of this
    /// `meta.k8s.io` version, with column definitions in the first only, like a kube-apiserver.
    var table: (version: String, includeObject: String)? = nil
}
