/// A `coordination.k8s.io/v1` Lease: the lock object of leader election.
public struct Lease: KubernetesResource, Hashable {
    public static let group = "coordination.k8s.io"
    public static let version = "v1"
    public static let kind = "Lease"
    public static let plural = "leases"
    public static let scope = ResourceScope.namespaced

    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The lease's desired state.
    public var spec: LeaseSpec?

    /// A lease with the given metadata and spec.
    public init(metadata: ObjectMeta, spec: LeaseSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The spec of a `Lease`.
public struct LeaseSpec: Sendable, Hashable, Codable {
    /// Who holds the lease.
    public var holderIdentity: String?
    /// How long other candidates must wait after `renewTime` before taking over.
    public var leaseDurationSeconds: Int?
    /// When the current holder acquired the lease (microsecond precision).
    public var acquireTime: MicroTime?
    /// When the current holder last renewed the lease (microsecond precision).
    public var renewTime: MicroTime?
    /// How many times the lease changed holders.
    public var leaseTransitions: Int?
    /// The identity a coordinated leader election prefers (newer servers).
    public var preferredHolder: String?
    /// The coordinated leader election strategy (newer servers).
    public var strategy: String?

    /// A spec with the given values.
    public init(
        holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: MicroTime? = nil,
        renewTime: MicroTime? = nil, leaseTransitions: Int? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}
