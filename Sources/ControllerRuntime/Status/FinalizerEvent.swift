/// What `Finalizer.run` asks the reconciler to do.
public enum FinalizerEvent<Object: Sendable>: Sendable {
    /// The object is live and carries the finalizer: bring the world in line with it. Must be idempotent.
    case apply(Object)
    /// The object is being deleted and still carries the finalizer: release what `apply` may have created.
    /// Must be idempotent, and must tolerate `apply` never having run (or having run only partly).
    case cleanup(Object)
}
