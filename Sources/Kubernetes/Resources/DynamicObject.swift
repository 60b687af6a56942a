import JSONCore

/// An object of any kind as JSON, for kinds without a Swift type; used with a `ResourceDescriptor`.
///
/// `metadata` is decoded into `ObjectMeta` (so a malformed metadata block is a decoding error up front);
/// every other member, and metadata members `ObjectMeta` does not model, are kept verbatim and written back.
public struct DynamicObject: KubernetesObject, Hashable {
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// Every top-level member except `metadata` (`apiVersion`, `kind`, `spec`, `status`, …).
    public var body: [String: JSONValue]
    /// Metadata members `ObjectMeta` does not model, preserved for round trips.
    private var otherMetadata: [String: JSONValue]

    /// A new object of the described kind.
    public init(descriptor: ResourceDescriptor, metadata: ObjectMeta, body: [String: JSONValue] = [:]) {
        self.metadata = metadata
        var body = body
        body["apiVersion"] = .string(descriptor.apiVersion)
        body["kind"] = .string(descriptor.kind)
        self.body = body
        otherMetadata = [:]
    }

    /// Wraps a JSON object.
    ///
    /// - Throws: `KubernetesError.decoding` when `json` is not an object or its metadata does not decode.
    public init(json: JSONValue) throws {
        guard case .object(var members) = json else {
            throw KubernetesError.decoding(
                what: "dynamic object", snippet: Snippet.of(json.description), underlying: nil)
        }
        let metadataJSON = members.removeValue(forKey: "metadata") ?? .emptyObject
        do {
            metadata = try metadataJSON.decode(ObjectMeta.self)
        } catch {
            throw KubernetesError.decoding(
                what: "dynamic object metadata", snippet: Snippet.of(metadataJSON.description), underlying: error)
        }
        body = members
        let modelled = Set(ObjectMeta.modelledKeys)
        otherMetadata = (metadataJSON.objectValue ?? [:]).filter { !modelled.contains($0.key) }
    }

    /// The whole object as JSON.
    public var json: JSONValue {
        var members = body
        var metadataMembers = otherMetadata
        if case .object(let modelled) = (try? JSONValue(encoding: metadata)) ?? .emptyObject {
            metadataMembers.merge(modelled) { _, new in new }
        }
        members["metadata"] = .object(metadataMembers)
        return .object(members)
    }

    /// A top-level member (`spec`, `status`, …); setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { body[key] }
        set { body[key] = newValue }
    }

    /// `apiVersion`, when present.
    public var apiVersion: String? { body["apiVersion"]?.stringValue }
    /// `kind`, when present.
    public var kind: String? { body["kind"]?.stringValue }

    /// Decodes the object into a typed model.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try json.decode(T.self)
    }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            try self.init(json: value)
        } catch let KubernetesError.decoding(what, _, underlying) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: what, underlyingError: underlying))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}

extension ObjectMeta {
    /// The JSON keys `ObjectMeta` decodes.
    static let modelledKeys = [
        "name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "finalizers", "ownerReferences",
        "managedFields",
    ]
}
