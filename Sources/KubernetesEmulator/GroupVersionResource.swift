/// Names a served resource: API group (`""` for core), version and plural.
public struct GroupVersionResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group (`""` for the core group).
    public var group: String
    /// The version (`v1`, `v1alpha1`).
    public var version: String
    /// The plural resource name (`flinkjobs`).
    public var resource: String

    /// Names a resource.
    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

    /// `group/version/resource` (`version/resource` for the core group).
    public var description: String { group.isEmpty ? "\(version)/\(resource)" : "\(group)/\(version)/\(resource)" }

    /// The collection path, namespaced when `namespace` is given.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var p = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if let namespace { p += "/namespaces/\(namespace)" }
        p += "/\(resource)"
        if let name { p += "/\(name)" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    /// Core `namespaces`.
    public static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
    /// Core `secrets`.
    public static let secrets = GroupVersionResource(group: "", version: "v1", resource: "secrets")
    /// Core `configmaps`.
    public static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
    /// Core `events`.
    public static let events = GroupVersionResource(group: "", version: "v1", resource: "events")
    /// `events.k8s.io/v1` `events`.
    public static let eventsV1 = GroupVersionResource(group: "events.k8s.io", version: "v1", resource: "events")
    /// `coordination.k8s.io/v1` `leases`.
    public static let leases = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")
    /// `apiextensions.k8s.io/v1` `customresourcedefinitions`.
    public static let customResourceDefinitions = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
}
