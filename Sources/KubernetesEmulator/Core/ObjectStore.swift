import JSONCore

/// The versioned object store: one revision counter across all objects (like etcd), the current objects, and
/// the history of changes that watches, exact-revision lists and continue tokens are served from.
///
/// Not thread-safe by itself: `APIServer` keeps it inside a lock.
struct ObjectStore: Sendable {
    /// The latest committed revision.
    private(set) var revision: Int64 = 0
    private var storages: [String: [ObjectKey: JSONValue]] = [:]
    /// Committed changes in revision order (those after `historyFloor`).
    private(set) var history: [StoreEvent] = []
    /// Revisions at or below this are compacted in storage: exact reads and continue tokens there are gone.
    private(set) var compactedRevision: Int64 = 0
    /// The watch cache window: watches from a revision older than this get 410 Expired.
    private(set) var watchWindowStart: Int64 = 0
    /// The most events the watch cache keeps; older ones are evicted (moving `watchWindowStart`).
    var watchCacheCapacity: Int

    init(watchCacheCapacity: Int) {
        self.watchCacheCapacity = watchCacheCapacity
    }

    func object(_ storageKey: String, _ key: ObjectKey) -> JSONValue? {
        storages[storageKey]?[key]
    }

    /// All objects of a storage, sorted by namespace then name.
    func objects(_ storageKey: String) -> [(key: ObjectKey, object: JSONValue)] {
        (storages[storageKey] ?? [:]).map { (key: $0.key, object: $0.value) }.sorted { $0.key < $1.key }
    }

    func count(_ storageKey: String) -> Int { storages[storageKey]?.count ?? 0 }

    /// Allocates the next revision without committing anything (used for deletions' new revisions).
    private mutating func nextRevision() -> Int64 {
        revision += 1
        return revision
    }

    /// Stores `object` (stamping `metadata.resourceVersion`) and records the change; returns the stored object.
    mutating func put(_ storageKey: String, _ key: ObjectKey, _ object: JSONValue) -> JSONValue {
        let rv = nextRevision()
        var stored = object
        stored[path: ["metadata", "resourceVersion"]] = .string(String(rv))
        let previous = storages[storageKey]?[key]
        storages[storageKey, default: [:]][key] = stored
        record(StoreEvent(revision: rv, storageKey: storageKey, key: key, kind: previous == nil ? .added : .modified,
                          object: stored, previous: previous))
        return stored
    }

    /// Removes an object; the DELETED event carries its last state with a new revision.
    @discardableResult
    mutating func delete(_ storageKey: String, _ key: ObjectKey) -> JSONValue? {
        guard let previous = storages[storageKey]?[key] else { return nil }
        let rv = nextRevision()
        storages[storageKey]?[key] = nil
        var last = previous
        last[path: ["metadata", "resourceVersion"]] = .string(String(rv))
        record(StoreEvent(revision: rv, storageKey: storageKey, key: key, kind: .deleted, object: last, previous: previous))
        return last
    }

    /// Drops a whole storage without events (used when a kind is unregistered after its objects were deleted).
    mutating func dropStorage(_ storageKey: String) {
        storages[storageKey] = nil
    }

    private mutating func record(_ event: StoreEvent) {
        history.append(event)
        let retained = max(watchCacheCapacity, 1)
        if history.count > retained * 2 {
            // Evict the oldest events; the watch window and exact reads move past them.
            let drop = history.count - retained
            let lastDropped = history[drop - 1].revision
            history.removeFirst(drop)
            watchWindowStart = max(watchWindowStart, lastDropped)
            compactedRevision = max(compactedRevision, lastDropped)
        }
    }

    /// Marks the current revision as the start of the watch window (as when a watch cache initialises).
    mutating func startWatchWindowHere() {
        watchWindowStart = revision
    }

    /// Compacts history up to the current revision. With `keepingWatchCache`, watches from older revisions are
    /// still served (like a kube-apiserver's watch cache outliving an etcd compaction).
    mutating func compact(keepingWatchCache: Bool) {
        compactedRevision = revision
        if !keepingWatchCache {
            watchWindowStart = revision
            history.removeAll()
        }
    }

    /// Events after `revision` (exclusive), in order; `nil` when the window no longer reaches back that far.
    func events(after revision: Int64) -> ArraySlice<StoreEvent>? {
        if revision < watchWindowStart { return nil }
        let index = firstIndex(after: revision)
        return history[index...]
    }

    private func firstIndex(after revision: Int64) -> Int {
        var low = 0
        var high = history.count
        while low < high {
            let mid = (low + high) / 2
            if history[mid].revision <= revision { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The objects of a storage as they were at `revision`; `nil` when compacted.
    func objects(_ storageKey: String, at revision: Int64) -> [(key: ObjectKey, object: JSONValue)]? {
        if revision < compactedRevision { return nil }
        if revision >= self.revision { return objects(storageKey) }
        var state = storages[storageKey] ?? [:]
        let index = firstIndex(after: revision)
        for event in history[index...].reversed() where event.storageKey == storageKey {
            switch event.kind {
            case .added: state[event.key] = nil
            case .modified, .deleted: state[event.key] = event.previous
            }
        }
        return state.map { (key: $0.key, object: $0.value) }.sorted { $0.key < $1.key }
    }
}
