import Foundation

/// A core/v1 Secret (read by the operator for Flink credentials).
public struct Secret: KubernetesResource, Hashable {
    public static let group = ""
    public static let version = "v1"
    public static let kind = "Secret"
    public static let plural = "secrets"
    public static let scope = ResourceScope.namespaced

    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The secret's values (base64 on the wire, raw bytes here).
    public var data: [String: Data]?
    /// Write-only plain-text values merged into `data` by the server.
    public var stringData: [String: String]?
    /// The secret type (`Opaque`, `kubernetes.io/tls`, …).
    public var type: String?
    /// Whether the data may no longer change.
    public var immutable: Bool?

    /// A secret with the given values.
    public init(
        metadata: ObjectMeta, data: [String: Data]? = nil, stringData: [String: String]? = nil,
        type: String? = nil, immutable: Bool? = nil
    ) {
        self.metadata = metadata
        self.data = data
        self.stringData = stringData
        self.type = type
        self.immutable = immutable
    }

    /// The value of `key` as UTF-8 text (from `data`, else `stringData`); `nil` when absent or not UTF-8.
    public func string(forKey key: String) -> String? {
        if let bytes = data?[key] { return String(data: bytes, encoding: .utf8) }
        return stringData?[key]
    }
}
