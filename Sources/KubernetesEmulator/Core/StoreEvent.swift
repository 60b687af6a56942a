import JSONCore

/// One committed change, as the watch cache and history keep it.
struct StoreEvent: Sendable {
    enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    var revision: Int64
    var storageKey: String
    var key: ObjectKey
    var kind: Kind
    /// The object at this revision (for DELETED: the last stored state with this revision).
    var object: JSONValue
    /// The object before this change (`nil` for ADDED).
    var previous: JSONValue?
}
