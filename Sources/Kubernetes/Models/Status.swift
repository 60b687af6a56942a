/// `metav1.Status`: the API's answer for errors (and for some successes, like a completed DELETE).
///
/// `reason` stays the server's string so that reasons this client does not know still decode; `knownReason`
/// offers the typed view.
public struct Status: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Always `Status` for a real one.
    public var kind: String?
    /// Usually `v1`.
    public var apiVersion: String?
    /// Carries `continue` for an expired continue token (410).
    public var metadata: ListMeta?
    /// `Success` or `Failure`.
    public var status: String?
    /// Human-readable description.
    public var message: String?
    /// Machine-readable CamelCase reason (`NotFound`, `Conflict`, …), possibly one this client does not know.
    public var reason: String?
    /// Extra data about the failure (name, kind, causes, retry delay).
    public var details: StatusDetails?
    /// The HTTP status code, when the server set it.
    public var code: Int?

    /// A status with the given values.
    public init(
        status: String? = "Failure", message: String? = nil, reason: String? = nil, details: StatusDetails? = nil,
        code: Int? = nil, metadata: ListMeta? = nil
    ) {
        kind = "Status"
        apiVersion = "v1"
        self.metadata = metadata
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    /// `reason` as a known reason, or `nil` when absent or unknown to this client.
    public var knownReason: StatusReason? {
        reason.flatMap(StatusReason.init(rawValue:))
    }

    /// Whether `status` is `Success`.
    public var isSuccess: Bool { status == "Success" }

    /// `code reason: message`, for logs.
    public var description: String {
        var parts: [String] = []
        if let code { parts.append(String(code)) }
        if let reason, !reason.isEmpty { parts.append(reason) }
        let head = parts.joined(separator: " ")
        guard let message, !message.isEmpty else { return head.isEmpty ? "Status \(status ?? "")" : head }
        return head.isEmpty ? message : "\(head): \(message)"
    }
}

/// The reasons of `Status` this client knows (`metav1.StatusReason`).
public enum StatusReason: String, Sendable, Hashable, CaseIterable {
    /// 401: missing or unknown credentials.
    case unauthorized = "Unauthorized"
    /// 403: authenticated but not allowed (RBAC), or anonymous.
    case forbidden = "Forbidden"
    /// 404: no such object (or path).
    case notFound = "NotFound"
    /// 409: create of a name that exists.
    case alreadyExists = "AlreadyExists"
    /// 409: stale resourceVersion, failed precondition or apply conflict.
    case conflict = "Conflict"
    /// 410: the requested version is gone.
    case gone = "Gone"
    /// 410: the requested resourceVersion or continue token was compacted away.
    case expired = "Expired"
    /// 422: validation failed (see `details.causes`).
    case invalid = "Invalid"
    /// 400: malformed request (bad selector, namespace mismatch, bad body).
    case badRequest = "BadRequest"
    /// 405: the verb is not supported on this resource.
    case methodNotAllowed = "MethodNotAllowed"
    /// 406: no acceptable response media type.
    case notAcceptable = "NotAcceptable"
    /// 413: the request body is too large.
    case requestEntityTooLarge = "RequestEntityTooLarge"
    /// 415: the body's media type (e.g. a strategic merge patch on a custom resource) is not accepted.
    case unsupportedMediaType = "UnsupportedMediaType"
    /// 429: throttled; see `details.retryAfterSeconds` / `Retry-After`.
    case tooManyRequests = "TooManyRequests"
    /// 500: the server failed.
    case internalError = "InternalError"
    /// 503: the server is not ready.
    case serviceUnavailable = "ServiceUnavailable"
    /// 504: the request timed out.
    case timeout = "Timeout"
    /// 500/504: the server could not complete the request in time; retry.
    case serverTimeout = "ServerTimeout"

    /// The reason the API uses for a bare HTTP status code, for bodies that carried no `Status`.
    public static func forHTTPStatus(_ code: Int) -> StatusReason? {
        switch code {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 406: .notAcceptable
        case 409: .conflict
        case 410: .gone
        case 413: .requestEntityTooLarge
        case 415: .unsupportedMediaType
        case 422: .invalid
        case 429: .tooManyRequests
        case 500: .internalError
        case 503: .serviceUnavailable
        case 504: .timeout
        default: nil
        }
    }
}

/// `metav1.StatusDetails`: which object a `Status` is about and why.
public struct StatusDetails: Sendable, Hashable, Codable {
    /// The object's name.
    public var name: String?
    /// The object's API group.
    public var group: String?
    /// The object's kind (the server often puts the plural resource name here).
    public var kind: String?
    /// The object's UID (e.g. on a successful DELETE).
    public var uid: String?
    /// Field-level causes (validation errors, apply conflicts).
    public var causes: [StatusCause]?
    /// How long the client should wait before retrying.
    public var retryAfterSeconds: Int?

    /// Details with the given values.
    public init(
        name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
        causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// `metav1.StatusCause`: one field-level cause of a failure.
public struct StatusCause: Sendable, Hashable, Codable {
    /// The cause type (`FieldValueInvalid`, `FieldManagerConflict`, …); JSON key `reason`.
    public var reason: String?
    /// Human-readable description.
    public var message: String?
    /// The offending field path (`spec.parallelism`), if any.
    public var field: String?

    /// A cause with the given values.
    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
