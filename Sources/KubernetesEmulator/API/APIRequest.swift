import Foundation

/// One request as the API layer sees it, independent of the HTTP server that received it.
struct APIRequest: Sendable {
    var method: String
    /// The path without the query (`/apis/g/v/namespaces/ns/plural/name`).
    var path: String
    /// Query parameters; the first value of each name wins, as in a kube-apiserver.
    var query: [String: String]
    /// The raw query string, for the request log.
    var rawQuery: String
    var contentType: String?
    var userAgent: String?
    var body: Data
    var user: UserInfo
}

/// An authenticated (or anonymous) user.
struct UserInfo: Sendable {
    var name: String
    var groups: [String]
    /// `nil` grants everything (`system:masters`).
    var rules: [PolicyRule]?

    static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"], rules: [])
    static let admin = UserInfo(name: "admin", groups: ["system:masters", "system:authenticated"], rules: nil)

    var isAuthenticated: Bool { name != UserInfo.anonymous.name }
}

/// A complete answer.
struct APIResponse: Sendable {
    var status: Int
    var contentType: String = "application/json"
    var warnings: [String] = []
    var headers: [(String, String)] = []
    var body: Data
}
