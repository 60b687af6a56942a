/// Identifies an object within one storage: namespace (empty for cluster-scoped kinds) and name.
struct ObjectKey: Hashable, Comparable, Sendable {
    /// The namespace.
    var namespace: String
    /// The name.
    var name: String

    static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        (a.namespace, a.name) < (b.namespace, b.name)
    }

    /// The key as a real server's continue tokens spell it.
    var text: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}
