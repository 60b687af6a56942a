import JSONCore

/// A patch document and its type.
public enum Patch: Sendable, Hashable {
    /// An RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, `null` deletes, lists replace.
    case merge(JSONValue)
    /// An RFC 6902 JSON patch (`application/json-patch+json`), applied atomically; a failed `test` → 422.
    case json(JSONPatch)
    /// Server-side apply (`application/apply-patch+yaml`, sent as JSON): the fields this manager owns.
    /// Needs `PatchOptions.fieldManager`.
    case apply(JSONValue)

    /// A merge patch from any `Encodable` value (e.g. a partial struct with optional fields).
    ///
    /// - Throws: `KubernetesError.encoding` when the value does not encode.
    public static func merge(encoding value: some Encodable) throws -> Patch {
        do {
            return .merge(try JSONValue(encoding: value))
        } catch {
            throw KubernetesError.encoding(what: "merge patch", underlying: error)
        }
    }

    /// An apply patch from any `Encodable` value (typically the desired object).
    ///
    /// - Throws: `KubernetesError.encoding` when the value does not encode.
    public static func apply(encoding value: some Encodable) throws -> Patch {
        do {
            return .apply(try JSONValue(encoding: value))
        } catch {
            throw KubernetesError.encoding(what: "apply patch", underlying: error)
        }
    }

    /// The `Content-Type` of the request.
    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }
}
