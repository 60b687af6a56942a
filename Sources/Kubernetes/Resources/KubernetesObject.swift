/// Anything the API stores: a Codable value with `metadata`. Typed kinds and `DynamicObject` conform.
public protocol KubernetesObject: Codable, Sendable {
    /// Standard object metadata.
    var metadata: ObjectMeta { get set }
}
