/// A user the emulator authenticates by bearer token.
public struct EmulatorUser: Sendable {
    /// The user name (`system:serviceaccount:ns:name` for a service account).
    public var name: String
    /// Groups (`system:authenticated` is added automatically).
    public var groups: [String]
    /// The bearer token that identifies this user.
    public var token: String
    /// What the user may do; `nil` means everything (like `system:masters`).
    public var rules: [PolicyRule]?

    /// A user with `rules` (`nil`: everything).
    public init(name: String, groups: [String] = [], token: String, rules: [PolicyRule]?) {
        self.name = name
        self.groups = groups
        self.token = token
        self.rules = rules
    }

    /// A user who may do everything.
    public static func admin(name: String = "admin", token: String) -> EmulatorUser {
        EmulatorUser(name: name, groups: ["system:masters"], token: token, rules: nil)
    }
}
