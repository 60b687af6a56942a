import Kubernetes

/// The content of the leader lock (a `coordination.k8s.io/v1` Lease spec) plus its opaque version.
public struct LeaseRecord: Sendable, Hashable {
    /// Who holds the lease; `nil` or empty when released.
    public var holderIdentity: String?
    /// How long others must wait, after they last saw the record change, before taking over.
    public var leaseDurationSeconds: Int
    /// When the current holder acquired the lease.
    public var acquireTime: MicroTime?
    /// When the current holder last renewed it.
    public var renewTime: MicroTime?
    /// How many times the lease changed holders.
    public var leaseTransitions: Int
    /// The stored version (resourceVersion): the precondition of the next update.
    public var version: String?

    /// A record with the given values.
    public init(
        holderIdentity: String?, leaseDurationSeconds: Int, acquireTime: MicroTime? = nil,
        renewTime: MicroTime? = nil, leaseTransitions: Int = 0, version: String? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.version = version
    }

    /// Whether someone holds it.
    public var isHeld: Bool { !(holderIdentity ?? "").isEmpty }

    /// Whether the content (everything but the version) equals `other`'s.
    func sameContent(as other: LeaseRecord) -> Bool {
        var mine = self
        mine.version = other.version
        return mine == other
    }
}
