import JSONCore

/// Everything the API core mutates, kept behind one lock so each request sees and changes a consistent state.
struct ServerState: Sendable {
    /// The store.
    var store: ObjectStore
    /// Served resources by `group/version/plural`.
    var types: [String: ResourceType] = [:]
    /// Watchers to wake after each commit.
    var watchSignals: [Int: AsyncStream<Void>.Continuation] = [:]
    /// The next watch id.
    var nextWatchID = 0
    /// Resource keys registered from CustomResourceDefinitions (as opposed to `register(_:)`).
    var registeredFromCRD: Set<String> = []

    /// The served resource, if any.
    func type(group: String, version: String, plural: String) -> ResourceType? {
        types[ResourceType.key(group: group, version: version, plural: plural)]
    }

    /// The custom resource types of a group (any version).
    func types(inGroup group: String) -> [ResourceType] {
        types.values.filter { $0.group == group }
    }

    /// Whether the namespace exists (terminating or not).
    func namespaceExists(_ name: String) -> Bool {
        store.object("/namespaces", ObjectKey(namespace: "", name: name)) != nil
    }

    /// Whether the namespace is being deleted.
    func namespaceTerminating(_ name: String) -> Bool {
        store.object("/namespaces", ObjectKey(namespace: "", name: name))?[path: ["metadata", "deletionTimestamp"]] != nil
    }
}
