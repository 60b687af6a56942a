/// Where a kind lives in the API: group, version, kind, plural and scope.
///
/// Typed kinds get theirs from `KubernetesResource.resourceDescriptor`; for kinds without Swift types
/// (`DynamicObject`) build one by hand.
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The API group; `""` for core.
    public var group: String
    /// The version within the group.
    public var version: String
    /// The kind.
    public var kind: String
    /// The plural resource name in paths.
    public var plural: String
    /// Namespaced or cluster-scoped.
    public var scope: ResourceScope

    /// A descriptor with the given values.
    public init(group: String, version: String, kind: String, plural: String, scope: ResourceScope) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.scope = scope
    }

    /// `group/version`, or just the version for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `plural.group` (`flinkjobs.flink.jobcontroller.io`), as the server names the resource in messages.
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The path of the collection: in `namespace`, or across all namespaces / cluster-wide when `nil`.
    ///
    /// Segments are percent-encoded.
    public func collectionPath(namespace: String?) -> String {
        var path = group.isEmpty ? "/api/\(PercentEncoding.segment(version))"
            : "/apis/\(PercentEncoding.segment(group))/\(PercentEncoding.segment(version))"
        if scope == .namespaced, let namespace {
            path += "/namespaces/\(PercentEncoding.segment(namespace))"
        }
        return path + "/" + PercentEncoding.segment(plural)
    }

    /// The path of one object, optionally of its subresource (`status`, `scale`).
    public func objectPath(name: String, namespace: String?, subresource: String? = nil) -> String {
        var path = collectionPath(namespace: namespace) + "/" + PercentEncoding.segment(name)
        if let subresource { path += "/" + PercentEncoding.segment(subresource) }
        return path
    }
}
