import Kubernetes

/// A core/v1 Namespace, read only for its labels (`allowedNamespaces.selector`).
///
/// Named `NamespaceResource` so it does not clash with a `Namespace` type the Kubernetes module may add.
public struct NamespaceResource: KubernetesResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "Namespace"
    public static let plural = "namespaces"
    public static let scope = ResourceScope.cluster

    /// Standard object metadata (name and labels are what matter).
    public var metadata: ObjectMeta

    /// A namespace with the given metadata.
    public init(metadata: ObjectMeta) {
        self.metadata = metadata
    }
}
