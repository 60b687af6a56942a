import JSONCore
import Kubernetes

/// An object exactly as the API sent it, with a best-effort view of its metadata.
///
/// Lists and watches are read as `RawObject`s so that one object whose content does not fit the Swift type
/// cannot fail a whole list or end a watch: the reflector decodes each object on its own and reports the ones
/// that do not decode. Decoding a `RawObject` never fails on content: when `metadata` does not decode as a
/// whole, the identifying fields (`name`, `namespace`, `uid`, `resourceVersion`) are picked out one by one.
public struct RawObject: KubernetesObject, Hashable {
    /// The metadata as far as it could be read; changing it does not change `json`.
    public var metadata: ObjectMeta
    /// The whole object as received.
    public var json: JSONValue

    /// Wraps a JSON document received from a backend.
    public init(json: JSONValue) {
        self.json = json
        self.metadata = Self.lenientMetadata(json["metadata"])
    }

    /// `apiVersion`, when present.
    public var apiVersion: String? { json["apiVersion"]?.stringValue }
    /// `kind`, when present.
    public var kind: String? { json["kind"]?.stringValue }

    /// Decodes the object into its Swift type.
    ///
    /// - Throws: the decoder's error when the content does not fit `T`.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try json.decode(T.self)
    }

    public init(from decoder: any Decoder) throws {
        self.init(json: try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    private static func lenientMetadata(_ json: JSONValue?) -> ObjectMeta {
        guard let json else { return ObjectMeta() }
        if let decoded = try? json.decode(ObjectMeta.self) { return decoded }
        // Salvage what identifies the object, so the failure can be reported against it and the resume point
        // still moves forward.
        var metadata = ObjectMeta(
            name: json["name"]?.stringValue, namespace: json["namespace"]?.stringValue,
            resourceVersion: json["resourceVersion"]?.stringValue, uid: json["uid"]?.stringValue)
        metadata.generation = json["generation"]?.integerValue
        return metadata
    }
}
