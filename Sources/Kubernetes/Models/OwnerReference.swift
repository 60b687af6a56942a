/// `metav1.OwnerReference`: a link from a dependent object to its owner (for garbage collection).
public struct OwnerReference: Sendable, Hashable, Codable {
    /// The owner's API version (`group/version`).
    public var apiVersion: String
    /// The owner's kind.
    public var kind: String
    /// The owner's name (same namespace as the dependent).
    public var name: String
    /// The owner's UID.
    public var uid: String
    /// Whether the owner is the managing controller of the dependent.
    public var controller: Bool?
    /// Whether the owner's foreground deletion waits for this dependent.
    public var blockOwnerDeletion: Bool?

    /// A reference to the given owner.
    public init(
        apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}
