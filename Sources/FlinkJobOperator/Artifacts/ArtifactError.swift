/// Why an artifact could not be used. Each case names the step and becomes a condition reason.
public enum ArtifactError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URI is malformed or uses a scheme the operator does not fetch.
    case unsupportedURI(String)
    /// A `file://` path lies outside the configured artifact directories (or escapes them by `..` or a symlink).
    case pathNotAllowed(path: String, reason: String)
    /// The file or download is missing or unreadable.
    case unavailable(uri: String, reason: String)
    /// The download exceeded the size limit.
    case tooLarge(uri: String, limit: Int64)
    /// The bytes do not have the declared digest.
    case digestMismatch(expected: String, actual: String)
    /// The signature does not verify with the public key.
    case signatureInvalid(String)
    /// A referenced Secret or ConfigMap (key) is missing.
    case referenceMissing(String)
    /// Flink refused the upload.
    case uploadFailed(String)

    /// The CamelCase condition reason for this failure.
    public var reason: String {
        switch self {
        case .digestMismatch, .signatureInvalid: "ArtifactVerificationFailed"
        case .unsupportedURI, .pathNotAllowed: "ArtifactNotAllowed"
        case .unavailable, .tooLarge, .referenceMissing: "ArtifactUnavailable"
        case .uploadFailed: "ArtifactUploadFailed"
        }
    }

    public var description: String {
        switch self {
        case .unsupportedURI(let uri): "unsupported artifact URI \"\(uri)\" (use https://, http:// or file://)"
        case .pathNotAllowed(let path, let reason): "artifact path \(path) is not allowed: \(reason)"
        case .unavailable(let uri, let reason): "artifact \(uri) is unavailable: \(reason)"
        case .tooLarge(let uri, let limit): "artifact \(uri) is larger than the limit of \(limit) bytes"
        case .digestMismatch(let expected, let actual):
            "artifact digest mismatch: spec says \(expected), the artifact is \(actual); nothing was uploaded"
        case .signatureInvalid(let why): "artifact signature does not verify: \(why); nothing was uploaded"
        case .referenceMissing(let what): "\(what) not found"
        case .uploadFailed(let why): "uploading the artifact to Flink failed: \(why)"
        }
    }
}
