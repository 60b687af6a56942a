import Kubernetes
import Synchronization

/// The local cache of one kind, filled by a `Reflector` and read by reconcilers without API calls.
///
/// Reads return the state last seen on the watch: possibly behind the server, never ahead of it. Writes come
/// only from the reflector (`apply`, `replace`); everyone else reads. Subscribers (`changes()`) get every
/// change after subscribing, preceded by the current contents. Safe to share between tasks.
public final class Store<Object: KubernetesObject>: Sendable {
    /// Computes the index values of an object (e.g. the cluster name a FlinkJob references).
    public typealias IndexFunction = @Sendable (Object) -> [String]

    private struct State {
        var objects: [ObjectKey: Object] = [:]
        /// The keys each watch partition (one per watched namespace) contributed, so a relist of one namespace
        /// replaces only that namespace's objects.
        var partitions: [Int: Set<ObjectKey>] = [:]
        var syncedPartitions: Set<Int> = []
        var expectedPartitions: Int = 1
        var indexFunctions: [String: IndexFunction] = [:]
        var indexes: [String: [String: Set<ObjectKey>]] = [:]
        var subscribers: [Int: AsyncStream<StoreChange<Object>>.Continuation] = [:]
        var nextSubscriber = 0
        var syncWaiters: [CheckedContinuation<Void, Never>] = []

        mutating func put(_ key: ObjectKey, _ object: Object) {
            if let old = objects[key] { unindex(key, old) }
            objects[key] = object
            for (name, function) in indexFunctions {
                for value in function(object) { indexes[name, default: [:]][value, default: []].insert(key) }
            }
        }

        mutating func remove(_ key: ObjectKey) {
            guard let old = objects.removeValue(forKey: key) else { return }
            unindex(key, old)
        }

        private mutating func unindex(_ key: ObjectKey, _ object: Object) {
            for (name, function) in indexFunctions {
                for value in function(object) {
                    indexes[name]?[value]?.remove(key)
                    if indexes[name]?[value]?.isEmpty == true { indexes[name]?[value] = nil }
                }
            }
        }

        func publish(_ change: StoreChange<Object>) {
            for subscriber in subscribers.values { subscriber.yield(change) }
        }
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    // MARK: Reading

    /// The object with `key`, if cached.
    public func get(_ key: ObjectKey) -> Object? {
        state.withLock { $0.objects[key] }
    }

    /// Every cached object, ordered by key.
    public func list() -> [Object] {
        state.withLock { state in state.objects.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// The cached objects in `namespace`, ordered by key.
    public func list(namespace: String) -> [Object] {
        list().filter { $0.metadata.namespace == namespace }
    }

    /// The cached objects whose labels match `selector`, ordered by key.
    public func list(matching selector: LabelSelector) -> [Object] {
        list().filter { selector.matches($0.metadata.labels ?? [:]) }
    }

    /// The cached objects whose index `name` contains `value`, ordered by key (empty for an unknown index).
    public func list(index name: String, value: String) -> [Object] {
        state.withLock { state in
            (state.indexes[name]?[value] ?? []).sorted().compactMap { state.objects[$0] }
        }
    }

    /// Every cached key, ordered.
    public var keys: [ObjectKey] {
        state.withLock { $0.objects.keys.sorted() }
    }

    /// The number of cached objects.
    public var count: Int {
        state.withLock { $0.objects.count }
    }

    /// Whether every watched namespace has completed its first list: the cache is fit for readiness.
    public var hasSynced: Bool {
        state.withLock { $0.syncedPartitions.count >= $0.expectedPartitions }
    }

    /// Returns once `hasSynced` is true (at once if it already is); cancellation ends the wait early.
    public func waitUntilSynced() async {
        while !hasSynced && !Task.isCancelled {
            // Poll after registering: a waiter that races with the final sync is woken by it or sees it here.
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.syncedPartitions.count >= state.expectedPartitions { return true }
                        state.syncWaiters.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    defer { state.syncWaiters = [] }
                    return state.syncWaiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    // MARK: Indexes

    /// Adds (or replaces) an index; existing objects are indexed at once.
    public func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        state.withLock { state in
            state.indexFunctions[name] = function
            var index: [String: Set<ObjectKey>] = [:]
            for (key, object) in state.objects {
                for value in function(object) { index[value, default: []].insert(key) }
            }
            state.indexes[name] = index
        }
    }

    // MARK: Subscribing

    /// Every change from now on, first the current contents as `.upserted` (ordered by key).
    ///
    /// The stream is unbounded (subscribers only enqueue keys) and finishes when the consumer stops iterating.
    public func changes() -> AsyncStream<StoreChange<Object>> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange<Object>.self)
        let id = state.withLock { state -> Int in
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            for (_, object) in state.objects.sorted(by: { $0.key < $1.key }) {
                continuation.yield(.upserted(object))
            }
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: Writing (the reflector's side)

    /// Fills the store with `objects` and marks it synced, for a cache no reflector feeds (e.g. a backend that
    /// has no Secrets: an empty, synced store).
    public func load(_ objects: [Object]) {
        replace(objects)
    }

    /// How many independent list/watch partitions feed the store (one per watched namespace).
    func expectPartitions(_ count: Int) {
        state.withLock { $0.expectedPartitions = max(1, count) }
    }

    /// Applies one watch change from `partition`.
    func apply(_ change: StoreChange<Object>, partition: Int = 0) {
        guard let key = change.object.objectKey else { return }
        state.withLock { state in
            switch change {
            case .upserted(let object):
                state.put(key, object)
                state.partitions[partition, default: []].insert(key)
            case .deleted:
                state.remove(key)
                state.partitions[partition]?.remove(key)
            }
            state.publish(change)
        }
    }

    /// Removes the object with `key` (a DELETED event whose body did not decode).
    func remove(_ key: ObjectKey, partition: Int = 0) {
        state.withLock { state in
            guard let old = state.objects[key] else { return }
            state.remove(key)
            state.partitions[partition]?.remove(key)
            state.publish(.deleted(old))
        }
    }

    /// Replaces everything `partition` contributed with `objects` (a completed relist) and marks it synced.
    ///
    /// Subscribers get `.upserted` for new or changed objects (by resourceVersion) and `.deleted` for objects the
    /// list no longer has.
    func replace(_ objects: [Object], partition: Int = 0) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            let previous = state.partitions[partition] ?? []
            var listed = Set<ObjectKey>()
            for object in objects {
                guard let key = object.objectKey else { continue }
                listed.insert(key)
                let old = state.objects[key]
                state.put(key, object)
                if old?.metadata.resourceVersion != object.metadata.resourceVersion || old == nil {
                    state.publish(.upserted(object))
                }
            }
            for key in previous.subtracting(listed) {
                if let old = state.objects[key] {
                    state.remove(key)
                    state.publish(.deleted(old))
                }
            }
            state.partitions[partition] = listed
            state.syncedPartitions.insert(partition)
            guard state.syncedPartitions.count >= state.expectedPartitions else { return [] }
            defer { state.syncWaiters = [] }
            return state.syncWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
