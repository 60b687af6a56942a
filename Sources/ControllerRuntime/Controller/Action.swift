/// What the controller does with a key after a reconcile (kube-rs `Action`): come back later, or wait for a change.
public struct Action: Sendable, Hashable, CustomStringConvertible {
    /// `nil` means "await change".
    public let requeueAfter: Duration?

    private init(requeueAfter: Duration?) {
        self.requeueAfter = requeueAfter
    }

    /// Reconcile again after `delay` even if nothing changes (a periodic check); `.zero` asks for a rate-limited
    /// retry soon.
    public static func requeue(after delay: Duration) -> Action {
        Action(requeueAfter: max(delay, .zero))
    }

    /// Reconcile again only when the object (or something mapped to it) changes.
    public static var awaitChange: Action { Action(requeueAfter: nil) }

    public var description: String {
        requeueAfter.map { "requeue(after: \($0))" } ?? "awaitChange"
    }
}
