/// What a DELETE answered: the object is gone (a `Status`), or it is still there, being deleted.
public enum DeleteResult<Object: KubernetesObject>: Sendable {
    /// Removed at once (no finalizers); the server answered with a `Success` Status.
    case deleted(Status)
    /// Still present with `deletionTimestamp` set, waiting for finalizers; carries the object.
    case deleting(Object)

    /// Whether the object no longer exists.
    public var isDeleted: Bool {
        if case .deleted = self { return true }
        return false
    }

    /// The object, when it is still present.
    public var object: Object? {
        if case .deleting(let object) = self { return object }
        return nil
    }
}
