import Foundation

/// One event of a watch stream: `{"type": "ADDED|MODIFIED|DELETED|BOOKMARK|ERROR", "object": {…}}`.
public enum WatchEvent<Object: Codable & Sendable>: Sendable {
    /// The object was created (or, for a watch without a resourceVersion, already existed).
    case added(Object)
    /// The object changed; carries the new state.
    case modified(Object)
    /// The object is gone; carries its last stored state (with a new resourceVersion).
    case deleted(Object)
    /// A progress marker: the stream has delivered everything up to `resourceVersion`.
    case bookmark(Bookmark)
    /// The server reports an error in-band (e.g. 410 Expired) and then ends the stream.
    case error(Status)

    /// The resourceVersion this event brings the watcher to, if it carries one.
    public var resourceVersion: String? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object):
            (object as? any KubernetesObject)?.metadata.resourceVersion
        case .bookmark(let bookmark): bookmark.resourceVersion
        case .error: nil
        }
    }
}

/// The object of a BOOKMARK event: only a resourceVersion (and, for `sendInitialEvents`, annotations).
public struct Bookmark: Sendable, Hashable, Codable {
    /// The annotation marking the end of the initial events of a `sendInitialEvents` watch.
    public static let initialEventsEndAnnotation = "k8s.io/initial-events-end"

    /// The version the watcher has caught up to.
    public var resourceVersion: String
    /// Annotations sent with the bookmark.
    public var annotations: [String: String]

    /// A bookmark at the given version.
    public init(resourceVersion: String, annotations: [String: String] = [:]) {
        self.resourceVersion = resourceVersion
        self.annotations = annotations
    }

    /// Whether this bookmark ends the initial ADDED events of a `sendInitialEvents=true` watch.
    public var isInitialEventsEnd: Bool { annotations[Self.initialEventsEndAnnotation] == "true" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let metadata = try container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        resourceVersion = try metadata.decode(String.self, forKey: .resourceVersion)
        annotations = try metadata.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var metadata = container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        try metadata.encode(resourceVersion, forKey: .resourceVersion)
        if !annotations.isEmpty { try metadata.encode(annotations, forKey: .annotations) }
    }

    private enum CodingKeys: String, CodingKey { case metadata }
    private enum MetadataKeys: String, CodingKey { case resourceVersion, annotations }
}

extension WatchEvent: Decodable {
    /// Decodes an event; the object is decoded by type (`Object`, `Bookmark` or `Status`).
    ///
    /// - Throws: `DecodingError` for an unknown `type`, a missing object, or an object that does not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": self = .added(try container.decode(Object.self, forKey: .object))
        case "MODIFIED": self = .modified(try container.decode(Object.self, forKey: .object))
        case "DELETED": self = .deleted(try container.decode(Object.self, forKey: .object))
        case "BOOKMARK": self = .bookmark(try container.decode(Bookmark.self, forKey: .object))
        case "ERROR": self = .error(try container.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type \"\(type.prefix(32))\"")
        }
    }

    private enum CodingKeys: String, CodingKey { case type, object }
}

extension WatchEvent: Equatable where Object: Equatable {}
