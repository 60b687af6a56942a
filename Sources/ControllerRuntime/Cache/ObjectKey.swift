import Kubernetes

/// Names one object: its namespace (absent for cluster-scoped kinds) and its name.
///
/// The work queue, the cache and the reconcilers all speak in keys, never in object references, so a reconcile
/// always reads the newest cached state of the object it was asked about.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The namespace; `nil` for cluster-scoped objects.
    public var namespace: String?
    /// The object's name.
    public var name: String

    /// A key for `name` in `namespace`.
    public init(namespace: String?, name: String) {
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// The key of an object, or `nil` when its metadata has no name.
    public init?(_ metadata: ObjectMeta) {
        guard let name = metadata.name, !name.isEmpty else { return nil }
        self.init(namespace: metadata.namespace, name: name)
    }

    /// `namespace/name`, or just `name` for cluster-scoped objects (client-go's `MetaNamespaceKeyFunc`).
    public var description: String {
        namespace.map { "\($0)/\(name)" } ?? name
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}

extension KubernetesObject {
    /// This object's key, or `nil` when it has no name.
    public var objectKey: ObjectKey? { ObjectKey(metadata) }
}
