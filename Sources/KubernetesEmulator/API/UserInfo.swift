import Foundation

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
