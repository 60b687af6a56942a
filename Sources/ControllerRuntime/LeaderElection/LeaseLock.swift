import Kubernetes

/// The leader election lock: one record, read and written with optimistic concurrency (the seam for leadership).
///
/// `create` fails with 409 AlreadyExists when the record exists; `update` fails with 409 Conflict when
/// `record.version` is not the stored version (see `BackendFailure`). Two candidates updating from the same
/// version: exactly one succeeds.
public protocol LeaseLock: Sendable {
    /// What the lock is (`Lease flink-system/flink-job-controller`), for logs.
    var description: String { get }
    /// The current record, or `nil` when there is none.
    func get() async throws -> LeaseRecord?
    /// Creates the record; returns it as stored (with its version).
    func create(_ record: LeaseRecord) async throws -> LeaseRecord
    /// Replaces the record if its stored version is still `record.version`; returns it as stored.
    func update(_ record: LeaseRecord) async throws -> LeaseRecord
}

/// `LeaseLock` on a `coordination.k8s.io/v1` Lease.
public struct KubernetesLeaseLock: LeaseLock {
    /// The client requests go through.
    public let client: KubernetesClient
    /// The Lease's namespace (the operator's own).
    public let namespace: String
    /// The Lease's name.
    public let name: String

    /// A lock on Lease `namespace/name`.
    public init(client: KubernetesClient, namespace: String, name: String) {
        self.client = client
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "Lease \(namespace)/\(name)" }

    public func get() async throws -> LeaseRecord? {
        do {
            return Self.record(try await leases.get(name))
        } catch let error as KubernetesError where error.isNotFound {
            return nil
        }
    }

    public func create(_ record: LeaseRecord) async throws -> LeaseRecord {
        Self.record(try await leases.create(Lease(metadata: ObjectMeta(name: name, namespace: namespace), spec: Self.spec(record))))
    }

    public func update(_ record: LeaseRecord) async throws -> LeaseRecord {
        let lease = Lease(
            metadata: ObjectMeta(name: name, namespace: namespace, resourceVersion: record.version),
            spec: Self.spec(record))
        return Self.record(try await leases.replace(lease))
    }

    private var leases: ResourceClient<Lease> { client.resources(Lease.self, namespace: namespace) }

    static func spec(_ record: LeaseRecord) -> LeaseSpec {
        LeaseSpec(
            holderIdentity: record.holderIdentity, leaseDurationSeconds: record.leaseDurationSeconds,
            acquireTime: record.acquireTime, renewTime: record.renewTime, leaseTransitions: record.leaseTransitions)
    }

    static func record(_ lease: Lease) -> LeaseRecord {
        let spec = lease.spec ?? LeaseSpec()
        return LeaseRecord(
            holderIdentity: spec.holderIdentity, leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
            acquireTime: spec.acquireTime, renewTime: spec.renewTime, leaseTransitions: spec.leaseTransitions ?? 0,
            version: lease.metadata.resourceVersion)
    }
}
