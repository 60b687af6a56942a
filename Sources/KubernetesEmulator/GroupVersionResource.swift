/// Names a served resource: API group (`""` for core), version and plural.
public struct GroupVersionResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String

    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

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

    public static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")
    public static let secrets = GroupVersionResource(group: "", version: "v1", resource: "secrets")
    public static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
    public static let events = GroupVersionResource(group: "", version: "v1", resource: "events")
    public static let eventsV1 = GroupVersionResource(group: "events.k8s.io", version: "v1", resource: "events")
    public static let leases = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")
    public static let customResourceDefinitions = GroupVersionResource(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions")
}
