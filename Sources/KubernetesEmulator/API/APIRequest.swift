import Foundation

/// One request as the API layer sees it, independent of the HTTP server that received it.
struct APIRequest: Sendable {
    /// The method.
    var method: String
    /// The path without the query (`/apis/g/v/namespaces/ns/plural/name`).
    var path: String
    /// Query parameters; the first value of each name wins, as in a kube-apiserver.
    var query: [String: String]
    /// The raw query string, for the request log.
    var rawQuery: String
    /// The content type.
    var contentType: String?
    /// The user agent.
    var userAgent: String?
    /// The `Accept` header (Table and aggregated-discovery negotiation).
    var accept: String? = nil
    /// The body.
    var body: Data
    /// The user.
    var user: UserInfo
}
