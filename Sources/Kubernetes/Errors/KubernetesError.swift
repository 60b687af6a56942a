/// Why a Kubernetes client operation failed; each case names the step that failed and carries its cause.
public enum KubernetesError: Error, CustomStringConvertible {
    /// The configuration (in-cluster files, kubeconfig) is missing, unreadable or unsupported.
    case invalidConfiguration(String)
    /// The call cannot be made as asked (e.g. a per-object call on an all-namespaces client).
    case invalidRequest(String)
    /// A request body could not be encoded.
    case encoding(what: String, underlying: any Error)
    /// The request did not complete at the HTTP level (connection, TLS, timeout, cancellation).
    case transport(any Error)
    /// The server answered with an error status (carries the decoded or synthesized `Status`).
    case api(KubernetesAPIError)
    /// A response (or a watch line) did not decode; carries what was being decoded, a truncated snippet of the
    /// raw text and the decoder's error.
    case decoding(what: String, snippet: String, underlying: (any Error)?)
    /// The requested resourceVersion is too old (410 Gone/Expired, e.g. after compaction): list again and watch
    /// from the new list's resourceVersion.
    case gone(Status?)

    /// The API error, when the server answered with one.
    public var apiError: KubernetesAPIError? {
        if case .api(let error) = self { return error }
        return nil
    }

    /// The server's `Status`, for `.api` and `.gone`.
    public var status: Status? {
        switch self {
        case .api(let error): error.status
        case .gone(let status): status
        default: nil
        }
    }

    /// 404 NotFound.
    public var isNotFound: Bool { matches(.notFound, code: 404) }
    /// 409 Conflict (stale resourceVersion, apply conflict); not AlreadyExists.
    public var isConflict: Bool { matches(.conflict, code: 409) }
    /// 409 AlreadyExists (create of an existing name).
    public var isAlreadyExists: Bool { apiError?.status.knownReason == .alreadyExists }
    /// 403 Forbidden (RBAC, or anonymous).
    public var isForbidden: Bool { matches(.forbidden, code: 403) }
    /// 401 Unauthorized (unknown or expired credentials).
    public var isUnauthorized: Bool { matches(.unauthorized, code: 401) }
    /// 422 Invalid (validation, failed JSON patch `test`).
    public var isInvalid: Bool { matches(.invalid, code: 422) }
    /// 400 BadRequest.
    public var isBadRequest: Bool { matches(.badRequest, code: 400) }
    /// 429 TooManyRequests; see `retryAfter`.
    public var isTooManyRequests: Bool { matches(.tooManyRequests, code: 429) }

    /// 410 Gone/Expired, in-band in a watch or as an HTTP status: the caller must relist.
    public var isGone: Bool {
        if case .gone = self { return true }
        guard let error = apiError else { return false }
        if let reason = error.status.knownReason { return reason == .gone || reason == .expired }
        return error.statusCode == 410
    }

    /// How long the server asked the client to wait (`Retry-After`, or `details.retryAfterSeconds`).
    public var retryAfter: Duration? { apiError?.retryAfter }

    /// Reason match, falling back to the HTTP code when the server gave no reason this client knows.
    private func matches(_ reason: StatusReason, code: Int) -> Bool {
        guard let error = apiError else { return false }
        if let known = error.status.knownReason { return known == reason }
        return error.statusCode == code
    }

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid Kubernetes configuration: \(why)"
        case .invalidRequest(let why): "invalid Kubernetes request: \(why)"
        case .encoding(let what, let underlying): "cannot encode \(what): \(underlying)"
        case .transport(let underlying): "Kubernetes API transport failed: \(underlying)"
        case .api(let error): error.description
        case .decoding(let what, let snippet, let underlying):
            "cannot decode \(what): \(underlying.map { String(describing: $0) } ?? "malformed") in \"\(snippet)\""
        case .gone(let status):
            "resourceVersion too old (410): \(status?.message ?? "gone"); list again"
        }
    }
}

/// Truncation of raw text for error messages.
enum Snippet {
    /// At most `limit` characters of `text`, with `…` when cut.
    static func of(_ text: String, limit: Int = 512) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
