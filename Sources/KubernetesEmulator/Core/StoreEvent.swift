import JSONCore

/// One committed change, as the watch cache and history keep it.
struct StoreEvent: Sendable {
    enum Kind: String, Sendable {
        /// Added.
        case added = "ADDED"
        /// Modified.
        case modified = "MODIFIED"
        /// Deleted.
        case deleted = "DELETED"
    }

    /// The revision.
    var revision: Int64
    /// The storage key.
    var storageKey: String
    /// The key.
    var key: ObjectKey
    /// The kind.
    var kind: Kind
    /// The object at this revision (for DELETED: the last stored state with this revision).
    var object: JSONValue
    /// The object before this change (`nil` for ADDED).
    var previous: JSONValue?
}
