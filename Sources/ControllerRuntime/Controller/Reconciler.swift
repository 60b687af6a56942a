import Kubernetes

/// The user's half of a controller (kube-rs `reconcile` + `error_policy`).
///
/// `reconcile` brings the world in line with the object and says when to look again; it must be idempotent and
/// level-triggered (it may be called any number of times, for any reason). `errorPolicy` is pure: it decides,
/// from the error alone, what to do after a failed reconcile. The controller never runs two reconciles of the
/// same key at once.
public protocol Reconciler: Sendable {
    /// The kind reconciled.
    associatedtype Object: KubernetesObject

    /// Reconciles one object (the newest cached state of its key).
    ///
    /// Throw `TerminalError` for failures retrying cannot fix; any other error goes to `errorPolicy`.
    func reconcile(_ object: Object, context: ReconcileContext) async throws -> Action

    /// What to do after `reconcile` threw (a non-terminal error); must not perform I/O.
    ///
    /// `.requeue(after: d)` retries after `d` or the key's exponential backoff, whichever is longer (so the
    /// default `.requeue(after: .zero)` is pure exponential backoff with jitter); `.awaitChange` gives up until the
    /// object changes.
    func errorPolicy(_ object: Object, error: any Error, context: ReconcileContext) -> Action
}

extension Reconciler {
    /// Retries with the key's exponential backoff.
    public func errorPolicy(_ object: Object, error: any Error, context: ReconcileContext) -> Action {
        .requeue(after: .zero)
    }
}
