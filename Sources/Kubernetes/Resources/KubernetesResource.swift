/// A Kubernetes kind with a Swift type: where it lives in the API is known statically.
///
/// Conforming types need not carry `apiVersion`/`kind` properties: the client writes them into every request
/// body from the static description.
public protocol KubernetesResource: KubernetesObject {
    /// The API group; `""` for the core group (`/api/v1`).
    static var group: String { get }
    /// The API version within the group (`v1alpha1`).
    static var version: String { get }
    /// The kind (`FlinkJob`).
    static var kind: String { get }
    /// The plural resource name used in paths (`flinkjobs`).
    static var plural: String { get }
    /// Whether objects live in a namespace.
    static var scope: ResourceScope { get }
}

extension KubernetesResource {
    /// `group/version`, or just the version for the core group.
    public static var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The kind's description for paths and bodies.
    public static var resourceDescriptor: ResourceDescriptor {
        ResourceDescriptor(group: group, version: version, kind: kind, plural: plural, scope: scope)
    }
}

/// A kind with a status subresource; `status` is written through `/status` only.
public protocol HasStatus {
    /// The status type.
    associatedtype ResourceStatus: Codable & Sendable
    /// The observed state; `nil` until first written.
    var status: ResourceStatus? { get set }
}

/// A kind with a desired state.
public protocol HasSpec {
    /// The spec type.
    associatedtype ResourceSpec: Codable & Sendable
    /// The desired state.
    var spec: ResourceSpec { get set }
}
