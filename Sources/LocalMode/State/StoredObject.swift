import ControllerRuntime
import Foundation
import JSONCore
import Kubernetes

/// One object as local mode stores it: the metadata an API server would keep, the spec (from a manifest) and the
/// status (written by the controllers).
public struct StoredObject: Sendable, Hashable {
    /// Kind, namespace and name.
    public var key: StoredKey
    /// Unique for the life of the object (a re-created object gets a new one).
    public var uid: String
    /// 1 at creation, +1 per spec change (and when deletion starts).
    public var generation: Int64
    /// The store-wide version of the object's last write.
    public var resourceVersion: Int64
    /// When the object was created.
    public var creationTimestamp: KubeTime
    /// When deletion started (the object waits for its finalizers).
    public var deletionTimestamp: KubeTime?
    /// From the manifest.
    public var labels: [String: String]
    /// From the manifest.
    public var annotations: [String: String]
    /// Added and removed by the controllers.
    public var finalizers: [String]
    /// The spec as served (CRD defaults applied; for `file://` artifacts without a digest, the file's digest).
    public var spec: JSONValue
    public var status: JSONValue?
    /// The manifest file the object comes from.
    public var source: String?

    /// The object as the API would serve it (`apiVersion`, `kind`, `metadata`, `spec`, `status`).
    public var json: JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(key.name), "uid": .string(uid), "generation": .integer(generation),
            "resourceVersion": .string(String(resourceVersion)),
            "creationTimestamp": .string(creationTimestamp.description),
        ]
        if let namespace = key.namespace { metadata["namespace"] = .string(namespace) }
        if let deletionTimestamp {
            metadata["deletionTimestamp"] = .string(deletionTimestamp.description)
            metadata["deletionGracePeriodSeconds"] = .integer(0)
        }
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations.mapValues { .string($0) }) }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map { .string($0) }) }
        var object: [String: JSONValue] = [
            "apiVersion": .string(key.kind.apiVersion), "kind": .string(key.kind.name), "metadata": .object(metadata),
            "spec": spec,
        ]
        if let status { object["status"] = status }
        return .object(object)
    }

    /// The object as a `RawObject` (what lists and watches carry).
    public var raw: RawObject { RawObject(json: json) }

    /// Decodes the object into its Swift type.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try json.decode(T.self)
    }

    /// Whether the object is being deleted (waiting for finalizers).
    public var isDeleting: Bool { deletionTimestamp != nil }
}

extension JSONValue {
    /// A `[String: String]` map from an object of strings (other members are skipped).
    var stringMap: [String: String] {
        (objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// The compact, key-sorted JSON text (how local mode stores JSON).
    var storedText: String {
        get throws { String(decoding: try encodedData(), as: UTF8.self) }
    }

    /// Parses stored JSON text.
    init(storedText text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }
}
