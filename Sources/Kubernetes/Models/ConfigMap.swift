import Foundation

/// A core/v1 ConfigMap (read by the operator for SQL statements).
public struct ConfigMap: KubernetesResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "ConfigMap"
    public static let plural = "configmaps"
    public static let scope = ResourceScope.namespaced

    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// UTF-8 values.
    public var data: [String: String]?
    /// Binary values (base64 on the wire).
    public var binaryData: [String: Data]?
    /// Whether the data may no longer change.
    public var immutable: Bool?

    /// A config map with the given values.
    public init(
        metadata: ObjectMeta, data: [String: String]? = nil, binaryData: [String: Data]? = nil,
        immutable: Bool? = nil
    ) {
        self.metadata = metadata
        self.data = data
        self.binaryData = binaryData
        self.immutable = immutable
    }
}
