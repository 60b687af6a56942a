import ControllerRuntime
import Foundation
import JSONCore
import Kubernetes
import Logging
import Synchronization

/// The local API server: FlinkJobs and FlinkSessionClusters in memory, written through to the state database,
/// with the semantics `ObjectAPI` promises (the reflectors, the status writer and the finalizer helper run on it
/// unchanged).
///
/// - **Versions.** One counter for every object; each write takes the next value as the object's
///   `resourceVersion` and appends one history entry; a write that changes nothing writes nothing.
/// - **Watch.** A watch replays the history after its start version, then follows live writes, in version order;
///   a start version older than the retained history throws 410 Gone.
/// - **Status isolation.** `replaceStatus`/`patchStatus` change only `.status` (409 Conflict on a stale
///   `resourceVersion`); other patches change labels, annotations, finalizers and spec, never status.
/// - **Deletion.** Deleting an object with finalizers sets `deletionTimestamp` (and bumps `generation`); it is
///   removed, with a DELETED event, when its last finalizer is removed. No finalizer may be added meanwhile.
/// - **Durability.** The database transaction commits before memory changes and before any watcher hears of it.
///
/// All writes are serialised by one lock, which is held across the (short) SQLite transaction so that versions
/// reach the database and the watchers in the same order.
public final class LocalStore: Sendable {
    /// The database the store writes through to.
    public let database: StateDatabase
    private let state: Mutex<State>
    private let historyLimit: Int64
    private let now: @Sendable () -> Date
    private let logger: Logger

    private struct State {
        var objects: [StoredKey: StoredObject]
        var resourceVersion: Int64
        var compactedThrough: Int64
        var watchers: [UInt64: Watcher] = [:]
        var nextWatcherID: UInt64 = 0
        /// The objects the manifests define, as of the last sync (an object deleted while its manifest still
        /// defines it is created again once its finalizers are gone).
        var desired: [StoredKey: DesiredObject] = [:]
        /// Deleted FlinkJobs that had state, by key (`Tombstone`).
        var tombstones: [StoredKey: Tombstone] = [:]
    }

    private struct Watcher {
        var kind: LocalKind
        var namespace: String?
        var selector: LabelSelectorQuery?
        var continuation: AsyncThrowingStream<WatchEvent<RawObject>, any Error>.Continuation

        func matches(_ object: StoredObject) -> Bool {
            object.key.kind == kind && (namespace == nil || object.key.namespace == namespace)
                && (selector?.matches(object.labels) ?? true)
        }
    }

    /// One change a write makes.
    private enum Mutation {
        case create(StoredObject)
        case modify(StoredObject)
        case delete(StoredObject)
        case bookkeeping(StoredObject)
    }

    /// A store over `database`, loaded from it.
    ///
    /// - Parameters:
    ///   - historyLimit: how many versions of history watches can resume from (older start versions get 410).
    ///   - now: the clock for creation and deletion timestamps.
    /// - Throws: `LocalModeError.stateDatabase` when the objects cannot be read.
    public init(
        database: StateDatabase, historyLimit: Int = 1000, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) throws(LocalModeError) {
        self.database = database
        self.historyLimit = Int64(max(1, historyLimit))
        self.now = now
        self.logger = logger
        do {
            let counters = try database.counters()
            let objects = try database.loadObjects()
            let tombstones = try database.loadTombstones()
            state = Mutex(State(
                objects: Dictionary(objects.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }),
                resourceVersion: counters.resourceVersion, compactedThrough: counters.compactedThrough,
                tombstones: Dictionary(tombstones.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })))
        } catch {
            throw .stateDatabase(path: database.path, underlying: "\(error)")
        }
    }

    // MARK: Reads

    /// The current resourceVersion (of the last write).
    public var resourceVersion: Int64 { state.withLock { $0.resourceVersion } }

    /// The object at `key`.
    ///
    /// - Throws: 404 NotFound (`BackendFailure.notFound`).
    public func get(_ key: StoredKey) throws -> StoredObject {
        guard let object = state.withLock({ $0.objects[key] }) else {
            throw BackendFailure.notFound(kind: key.kind.name, key: ObjectKey(namespace: key.namespace, name: key.name))
        }
        return object
    }

    /// Every object of `kind` (in `namespace`, matching `selector`), sorted, and the version the listing is at.
    public func list(_ kind: LocalKind, namespace: String? = nil, selector: LabelSelectorQuery? = nil)
        -> (objects: [StoredObject], resourceVersion: Int64)
    {
        state.withLock { state in
            let objects = state.objects.values.filter {
                $0.key.kind == kind && (namespace == nil || $0.key.namespace == namespace)
                    && (selector?.matches($0.labels) ?? true)
            }
            return (objects.sorted { $0.key < $1.key }, state.resourceVersion)
        }
    }

    // MARK: Watch

    /// Changes of `kind` strictly after `resourceVersion`, in order; `""` or `"0"` first sends every current
    /// object as ADDED. The stream ends after `timeout` with a BOOKMARK at the current version.
    ///
    /// - Throws: 410 Gone when `resourceVersion` is older than the retained history (or not a version at all).
    public func watch(
        _ kind: LocalKind, namespace: String? = nil, selector: LabelSelectorQuery? = nil, from resourceVersion: String,
        timeout: Duration? = nil
    ) throws -> AsyncThrowingStream<WatchEvent<RawObject>, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent<RawObject>, any Error>.makeStream()
        let id = try state.withLock { state throws -> UInt64 in
            let watcher = Watcher(kind: kind, namespace: namespace, selector: selector, continuation: continuation)
            if resourceVersion.isEmpty || resourceVersion == "0" {
                for object in state.objects.values.sorted(by: { $0.key < $1.key }) where watcher.matches(object) {
                    continuation.yield(.added(object.raw))
                }
            } else {
                guard let start = Int64(resourceVersion), start >= state.compactedThrough else {
                    throw BackendFailure.gone(
                        "too old resource version: \(resourceVersion) (history starts after \(state.compactedThrough))")
                }
                let changes: [StateDatabase.Change]
                do {
                    changes = try database.history(kind: kind, after: start)
                } catch {
                    throw LocalModeError.stateDatabase(path: database.path, underlying: "\(error)")
                }
                for change in changes {
                    let raw = RawObject(json: change.object)
                    if let namespace, raw.metadata.namespace != namespace { continue }
                    if let selector, !selector.matches(raw.metadata.labels ?? [:]) { continue }
                    switch change.type {
                    case "ADDED": continuation.yield(.added(raw))
                    case "DELETED": continuation.yield(.deleted(raw))
                    default: continuation.yield(.modified(raw))
                    }
                }
            }
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = watcher
            return id
        }
        let timer: Task<Void, Never>? = timeout.map { timeout in
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self?.endWatch(id)
            }
        }
        continuation.onTermination = { [weak self] _ in
            timer?.cancel()
            self?.forgetWatch(id)
        }
        return stream
    }

    /// Ends watch `id` with a BOOKMARK at the current version (everything up to it was delivered under the lock).
    private func endWatch(_ id: UInt64) {
        let ended = state.withLock { state in
            state.watchers.removeValue(forKey: id).map { ($0.continuation, state.resourceVersion) }
        }
        guard let (continuation, version) = ended else { return }
        continuation.yield(.bookmark(Bookmark(resourceVersion: String(version))))
        continuation.finish()
    }

    private func forgetWatch(_ id: UInt64) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }

    /// Ends every watch (shutdown).
    public func close() {
        let continuations = state.withLock { state in
            defer { state.watchers.removeAll() }
            return state.watchers.values.map(\.continuation)
        }
        // Finished outside the lock: `onTermination` takes it.
        for continuation in continuations { continuation.finish() }
    }

    /// Drops history so that only changes after `resourceVersion - keepingLast` remain (tests of 410 handling).
    public func compactHistory(keepingLast: Int64 = 0) throws {
        try state.withLock { state in
            let through = max(state.compactedThrough, state.resourceVersion - max(0, keepingLast))
            try database.commit([], resourceVersion: state.resourceVersion, compactedThrough: through)
            state.compactedThrough = through
        }
    }

    // MARK: Writes

    /// Applies `patch` to the object at `key`: to its labels, annotations, finalizers and spec, or, with
    /// `status: true`, to its status only.
    ///
    /// - Throws: 404 NotFound; 409 Conflict when the patched `metadata.resourceVersion` is not the stored one;
    ///   422 Invalid when a JSON patch operation (a `test`) fails, a finalizer is added to a deleting object, or
    ///   the patch is a server-side apply (not supported here).
    public func patch(_ key: StoredKey, _ patch: Patch, status: Bool = false) throws -> StoredObject {
        try state.withLock { state throws -> StoredObject in
            let current = try Self.current(key, in: state)
            let patched: JSONValue
            switch patch {
            case .json(let operations):
                do {
                    patched = try operations.apply(to: current.json)
                } catch {
                    throw BackendFailure.invalid("the JSON patch cannot be applied to \(key): \(error)")
                }
            case .merge(let document):
                patched = current.json.applyingMergePatch(document)
            case .apply:
                throw BackendFailure.invalid("server-side apply is not supported in local mode")
            }
            if let version = patched["metadata"]?["resourceVersion"]?.stringValue, version != String(current.resourceVersion) {
                throw BackendFailure.conflict(kind: key.kind.name, key: ObjectKey(namespace: key.namespace, name: key.name))
            }
            var updated = current
            if status {
                updated.status = patched["status"].flatMap { $0.isNull ? nil : $0 }
            } else {
                let metadata = patched["metadata"]
                updated.labels = metadata?["labels"]?.stringMap ?? [:]
                updated.annotations = metadata?["annotations"]?.stringMap ?? [:]
                let finalizers = (metadata?["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
                if current.isDeleting, let added = finalizers.first(where: { !current.finalizers.contains($0) }) {
                    throw BackendFailure.invalid(
                        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizer \(added)")
                }
                updated.finalizers = finalizers
                guard let spec = patched["spec"], !spec.isNull else {
                    throw BackendFailure.invalid("spec: Required value")
                }
                if spec != current.spec {
                    updated.spec = spec
                    updated.generation += 1
                }
            }
            return try update(current, to: updated, in: &state)
        }
    }

    /// Replaces the status of the object at `key`, if `resourceVersion` is still the stored one.
    ///
    /// - Throws: 404 NotFound; 409 Conflict on a stale version; 422 Invalid without a version.
    public func replaceStatus(_ key: StoredKey, resourceVersion: String?, status: JSONValue?) throws -> StoredObject {
        try state.withLock { state throws -> StoredObject in
            let current = try Self.current(key, in: state)
            guard let resourceVersion else {
                throw BackendFailure.invalid("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update")
            }
            guard resourceVersion == String(current.resourceVersion) else {
                throw BackendFailure.conflict(kind: key.kind.name, key: ObjectKey(namespace: key.namespace, name: key.name))
            }
            var updated = current
            updated.status = status.flatMap { $0.isNull ? nil : $0 }
            return try update(current, to: updated, in: &state)
        }
    }

    /// Makes the stored objects what the manifests say.
    ///
    /// New objects are created (new uid, generation 1); changed ones updated (generation +1 when the spec
    /// changed); objects no manifest defines any more are deleted (finalizers first), except those whose source
    /// file `snapshot` protects (it is broken or unreadable: its last good objects stay). With `deleteMissing`
    /// false, such deletions are only reported (`SyncOutcome.missing`) so the caller can confirm them a moment
    /// later (an editor that deletes and rewrites a file must not stop a job).
    @discardableResult
    public func sync(_ snapshot: ManifestSnapshot, deleteMissing: Bool = true) throws(LocalModeError) -> SyncOutcome {
        try sync(snapshot, deleting: deleteMissing ? nil : [])
    }

    /// Makes the stored objects what the manifests say, deleting only the missing objects in `deleting` (every
    /// missing one when `nil`); the other missing ones are reported in `SyncOutcome.missing`.
    @discardableResult
    public func sync(_ snapshot: ManifestSnapshot, deleting: Set<StoredKey>?) throws(LocalModeError) -> SyncOutcome {
        let time = KubeTime(now())
        let outcome: SyncOutcome
        do {
            outcome = try state.withLock { state throws -> SyncOutcome in
                var outcome = SyncOutcome()
                var mutations: [Mutation] = []
                state.desired = Dictionary(snapshot.objects.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                for desired in snapshot.objects.sorted(by: { $0.key < $1.key }) {
                    guard let existing = state.objects[desired.key] else {
                        mutations.append(.create(Self.newObject(desired, at: time, tombstone: state.tombstones[desired.key])))
                        outcome.created.append(desired.key)
                        continue
                    }
                    // A deleting object stays as it is; it is created again once its finalizers are gone.
                    guard !existing.isDeleting else { continue }
                    var updated = existing
                    updated.labels = desired.labels
                    updated.annotations = desired.annotations
                    updated.source = desired.source
                    if desired.spec != existing.spec {
                        updated.spec = desired.spec
                        updated.generation += 1
                    }
                    var withoutSource = updated
                    withoutSource.source = existing.source
                    if withoutSource != existing {
                        mutations.append(.modify(updated))
                        outcome.updated.append(desired.key)
                    } else if updated.source != existing.source {
                        mutations.append(.bookkeeping(updated))
                    }
                }
                for existing in state.objects.values.sorted(by: { $0.key < $1.key })
                where state.desired[existing.key] == nil && !existing.isDeleting {
                    if snapshot.protects(existing.source) { continue }
                    guard deleting?.contains(existing.key) ?? true else {
                        outcome.missing.append(existing.key)
                        continue
                    }
                    outcome.deleted.append(existing.key)
                    if existing.finalizers.isEmpty {
                        mutations.append(.delete(existing))
                    } else {
                        var deleting = existing
                        deleting.deletionTimestamp = time
                        deleting.generation += 1
                        mutations.append(.modify(deleting))
                    }
                }
                try commit(mutations, in: &state)
                return outcome
            }
        } catch let error as LocalModeError {
            throw error
        } catch {
            throw .stateDatabase(path: database.path, underlying: "\(error)")
        }
        for key in outcome.deleted {
            recordEvent(
                about: key, type: "Normal", reason: "ManifestRemoved", action: "Delete",
                note: "No manifest defines this \(key.kind.name) any more; deleting it")
        }
        return outcome
    }

    /// Records an event about the object at `key` in the event log (local mode's own events: manifest changes).
    public func recordEvent(about key: StoredKey, type: String, reason: String, action: String, note: String) {
        let uid = state.withLock { $0.objects[key]?.uid }
        recordEvent(
            StoredEvent(
                namespace: key.namespace ?? "default",
                name: "\(key.name).\(String(UInt64.random(in: 0..<UInt64.max), radix: 16))", eventTime: MicroTime(now()), type: type,
                reason: reason, action: action, note: note, regardingKind: key.kind.name, regardingNamespace: key.namespace,
                regardingName: key.name, regardingUID: uid, reportingController: "flink.jobcontroller.io/local-mode"))
    }

    /// Records `event` (a repeat of the latest event about the same object counts up instead of adding a row).
    public func recordEvent(_ event: StoredEvent) {
        do {
            try database.recordEvent(event)
        } catch {
            logger.warning("Cannot record an event in the state database", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Internals

    private static func current(_ key: StoredKey, in state: State) throws -> StoredObject {
        guard let object = state.objects[key] else {
            throw BackendFailure.notFound(kind: key.kind.name, key: ObjectKey(namespace: key.namespace, name: key.name))
        }
        return object
    }

    /// A new object from `desired`; it continues from `tombstone` (same uid, its state records) unless the
    /// manifest opts out.
    private static func newObject(_ desired: DesiredObject, at time: KubeTime, tombstone: Tombstone?) -> StoredObject {
        let continued = tombstone.flatMap { $0.continues(annotations: desired.annotations) ? $0 : nil }
        return StoredObject(
            key: desired.key, uid: continued?.uid ?? UUID().uuidString.lowercased(), generation: 1, resourceVersion: 0,
            creationTimestamp: time, deletionTimestamp: nil, labels: desired.labels, annotations: desired.annotations,
            finalizers: [], spec: desired.spec, status: continued?.status, source: desired.source)
    }

    /// Writes the change from `current` to `updated` (nothing when equal); removes the object when it is deleting
    /// and has no finalizers left, and then creates it again if a manifest still defines it.
    private func update(_ current: StoredObject, to updated: StoredObject, in state: inout State) throws -> StoredObject {
        guard updated != current else { return current }
        if updated.isDeleting && updated.finalizers.isEmpty {
            var mutations: [Mutation] = [.delete(updated)]
            if let desired = state.desired[updated.key] {
                mutations.append(.create(Self.newObject(desired, at: KubeTime(now()), tombstone: Tombstone.of(updated, at: KubeTime(now())))))
            }
            let written = try commit(mutations, in: &state)
            return written[0]
        }
        return try commit([.modify(updated)], in: &state)[0]
    }

    /// Gives each mutation the next version, writes them in one transaction, then updates memory and tells the
    /// watchers, in version order. Returns the objects as written.
    @discardableResult
    private func commit(_ mutations: [Mutation], in state: inout State) throws -> [StoredObject] {
        guard !mutations.isEmpty else { return [] }
        var version = state.resourceVersion
        var writes: [StateDatabase.ObjectWrite] = []
        var events: [WatchEvent<RawObject>] = []
        var written: [StoredObject] = []
        var objects = state.objects
        var tombstones = state.tombstones
        for mutation in mutations {
            switch mutation {
            case .create(var object):
                version += 1
                object.resourceVersion = version
                if tombstones[object.key] != nil {
                    tombstones[object.key] = nil
                    writes.append(.exhume(object.key))
                }
                writes.append(.upsert(object, type: "ADDED"))
                events.append(.added(object.raw))
                objects[object.key] = object
                written.append(object)
            case .modify(var object):
                version += 1
                object.resourceVersion = version
                writes.append(.upsert(object, type: "MODIFIED"))
                events.append(.modified(object.raw))
                objects[object.key] = object
                written.append(object)
            case .delete(var object):
                version += 1
                object.resourceVersion = version
                writes.append(.delete(object))
                if let tombstone = Tombstone.of(object, at: KubeTime(now())) {
                    tombstones[object.key] = tombstone
                    writes.append(.bury(tombstone))
                }
                events.append(.deleted(object.raw))
                objects[object.key] = nil
                written.append(object)
            case .bookkeeping(let object):
                writes.append(.bookkeeping(object))
                objects[object.key] = object
                written.append(object)
            }
        }
        let compactedThrough = max(state.compactedThrough, version - historyLimit)
        do {
            try database.commit(writes, resourceVersion: version, compactedThrough: compactedThrough)
        } catch {
            throw LocalModeError.stateDatabase(path: database.path, underlying: "\(error)")
        }
        state.objects = objects
        state.tombstones = tombstones
        state.resourceVersion = version
        state.compactedThrough = compactedThrough
        // Yielded under the lock so every watcher sees versions in order; `yield` only enqueues.
        for event in events { broadcast(event, in: &state) }
        return written
    }

    private func broadcast(_ event: WatchEvent<RawObject>, in state: inout State) {
        let raw: RawObject
        switch event {
        case .added(let object), .modified(let object), .deleted(let object): raw = object
        case .bookmark, .error: return
        }
        guard let kind = raw.kind.flatMap(LocalKind.init(named:)) else { return }
        for (id, watcher) in state.watchers where watcher.kind == kind {
            if let namespace = watcher.namespace, raw.metadata.namespace != namespace { continue }
            if let selector = watcher.selector, !selector.matches(raw.metadata.labels ?? [:]) { continue }
            if case .terminated = watcher.continuation.yield(event) {
                state.watchers[id] = nil
            }
        }
    }
}

/// What a `LocalStore.sync` changed.
public struct SyncOutcome: Sendable, Hashable {
    /// Objects created from new manifests.
    public var created: [StoredKey] = []
    /// Objects whose manifest changed.
    public var updated: [StoredKey] = []
    /// Objects deleted (or marked for deletion) because no manifest defines them.
    public var deleted: [StoredKey] = []
    /// Objects no manifest defines, not deleted because the sync was told to wait.
    public var missing: [StoredKey] = []

    /// An empty outcome.
    public init() {}

    /// Whether anything changed.
    public var isEmpty: Bool { created.isEmpty && updated.isEmpty && deleted.isEmpty }
}
