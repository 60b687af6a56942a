/// What `StatusWriter.write` did.
public enum StatusWriteResult<Object: Sendable>: Sendable {
    /// Nothing to write: the status was already as computed (no request was made, or the fresh object already
    /// had the change). Carries the object the caller should continue from.
    case unchanged(Object)
    /// The status was written; carries the object as stored (new resourceVersion).
    case written(Object)

    /// The object to continue from, as stored.
    public var object: Object {
        switch self {
        case .unchanged(let object), .written(let object): object
        }
    }

    /// Whether a write happened.
    public var wasWritten: Bool {
        if case .written = self { return true }
        return false
    }
}
