/// Why a JSON operation failed.
public enum JSONCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes were not JSON; carries the decoder's explanation.
    case invalidJSON(String)
    /// A JSON Pointer (RFC 6901) was malformed.
    case invalidPointer(String)
    /// A JSON Patch document (RFC 6902) was not an array of valid operations.
    case invalidPatch(String)
    /// A JSON Patch operation could not be applied (missing path, failed `test`, …); carries the operation index.
    case patchFailed(operation: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidJSON(let why): "invalid JSON: \(why)"
        case .invalidPointer(let p): "invalid JSON pointer \"\(p)\""
        case .invalidPatch(let why): "invalid JSON patch: \(why)"
        case .patchFailed(let index, let reason): "JSON patch operation \(index) failed: \(reason)"
        }
    }
}
