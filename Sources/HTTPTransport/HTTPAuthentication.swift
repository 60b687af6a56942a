/// How a request authenticates.
public enum HTTPAuthentication: Sendable {
    /// `Authorization: Bearer <token>`, the token asked from the provider on every request (so rotated
    /// service-account tokens are picked up).
    case bearer(any BearerTokenProvider)
    /// HTTP basic authentication.
    case basic(username: String, password: String)
    /// An arbitrary header, e.g. an API key (`X-API-Key: …`).
    case header(name: String, value: String)
    /// SPNEGO/Kerberos negotiation via the system GSS-API (credentials from the process's ticket cache/keytab).
    case negotiate
}

/// Supplies the current bearer token; called once per request, so it must be cheap (cache inside).
public protocol BearerTokenProvider: Sendable {
    /// The token to send now.
    func bearerToken() async throws -> String
}

/// A token that never changes.
public struct StaticBearerToken: BearerTokenProvider {
    private let token: String
    public init(_ token: String) { self.token = token }
    public func bearerToken() async throws -> String { token }
}
