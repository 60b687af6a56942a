/// One change of a `Store`, as delivered to subscribers (controllers enqueue keys from these).
public enum StoreChange<Object: Sendable>: Sendable {
    /// The object was added or changed (or listed again); carries the new state.
    case upserted(Object)
    /// The object is gone; carries its last known state.
    case deleted(Object)

    /// The object the change is about.
    public var object: Object {
        switch self {
        case .upserted(let object), .deleted(let object): object
        }
    }
}
