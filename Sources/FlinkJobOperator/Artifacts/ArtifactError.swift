import HTTPTransport

/// Why an artifact could not be used. Each case names the step and becomes a condition reason.
public enum ArtifactError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URI is malformed or uses a scheme the operator does not fetch.
    case unsupportedURI(String)
    /// A `file://` path lies outside the configured artifact directories (or escapes them by `..` or a symlink).
    case pathNotAllowed(path: String, reason: String)
    /// The egress policy refused to fetch from where the URI (or a redirect) leads.
    case egressRefused(uri: String, reason: String)
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
        case .unsupportedURI, .pathNotAllowed, .egressRefused: "ArtifactNotAllowed"
        case .unavailable, .tooLarge, .referenceMissing: "ArtifactUnavailable"
        case .uploadFailed: "ArtifactUploadFailed"
        }
    }

    public var description: String {
        func shown(_ uri: String) -> String { URLRedaction.redacted(uri) }
        return switch self {
        case .unsupportedURI(let uri): "unsupported artifact URI \"\(shown(uri))\" (use https://, http:// or file://)"
        case .pathNotAllowed(let path, let reason): "artifact path \(path) is not allowed: \(reason)"
        case .egressRefused(let uri, let reason): "artifact \(shown(uri)) is not fetched: \(reason); nothing was uploaded"
        case .unavailable(let uri, let reason): "artifact \(shown(uri)) is unavailable: \(reason)"
        case .tooLarge(let uri, let limit): "artifact \(shown(uri)) is larger than the limit of \(limit) bytes"
        case .digestMismatch(let expected, _):
            // The digest found is not shown: it would tell a tenant the hash of whatever the URI reaches.
            "artifact digest mismatch: the artifact's SHA-256 is not \(expected) as the spec says; nothing was uploaded"
        case .signatureInvalid(let why): "artifact signature does not verify: \(why); nothing was uploaded"
        case .referenceMissing(let what): "\(what) not found"
        case .uploadFailed(let why): "uploading the artifact to Flink failed: \(why)"
        }
    }
}
