import Foundation

/// An authenticated (or anonymous) user.
struct UserInfo: Sendable {
    /// The name.
    var name: String
    /// The groups.
    var groups: [String]
    /// `nil` grants everything (`system:masters`).
    var rules: [PolicyRule]?

    /// The user of requests without a token.
    static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"], rules: [])
    /// A user allowed everything.
    static let admin = UserInfo(name: "admin", groups: ["system:masters", "system:authenticated"], rules: nil)

    /// Whether a token identified the user.
    var isAuthenticated: Bool { name != UserInfo.anonymous.name }
}
