import Foundation

/// Behaviour knobs of the API core (set from `KubernetesEmulator.Configuration`).
struct ServerSettings: Sendable {
    /// The wall clock for timestamps (creation, deletion, managedFields).
    var clock: @Sendable () -> Date
    /// Multiplies every watch duration (timeouts, bookmark interval and tick); `0.02` makes 75 s last 1.5 s.
    var watchTimeScale: Double
    /// How often a watch with `allowWatchBookmarks` gets a BOOKMARK (before scaling).
    var bookmarkInterval: Duration
    /// The bookmark dispatcher's tick (before scaling); a kube-apiserver ticks once a second.
    var bookmarkTick: Duration
    /// How long before a watch's deadline the last bookmarks are due (before scaling).
    var bookmarkDeadlineLead: Duration
    /// The server-side timeout of watches without `timeoutSeconds` (before scaling).
    var defaultWatchTimeout: Duration
    /// How long after creation a CustomResourceDefinition becomes Established and served.
    var crdEstablishDelay: Duration
    /// The largest accepted request body.
    var maxRequestBodyBytes: Int
    /// The largest stored object (etcd's request limit).
    var maxObjectBytes: Int = 1_572_864
    /// The watch cache capacity in events.
    var watchCacheCapacity: Int
    /// The server's host:port, for discovery documents.
    var serverAddress: @Sendable () -> String
}
