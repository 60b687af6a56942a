import FlinkREST
import Foundation

/// A session cluster as a FlinkJob reconcile can use it right now.
public struct ClusterHandle: Sendable {
    /// The FlinkSessionCluster's name.
    public var name: String
    /// Its REST API (TLS and auth already applied): the real client, or in tests the Flink model.
    public var client: any FlinkService
    /// What decisions depend on (adaptive scheduler, default savepoint directory).
    public var facts: JobObservation.ClusterFacts
    /// The cluster's default checkpoint directory for jobs (`jobDefaults.checkpointDirectory`).
    public var checkpointDirectory: String?
    /// The cluster's `artifactPolicy.allowedURIPrefixes`: redirects of artifact downloads must stay under them.
    public var allowedURIPrefixes: [String]?
    /// Whether the cluster requires signatures (`artifactPolicy.requireSignature`), and the keys it trusts.
    public var signatures: SignatureTrust

    public init(
        name: String, client: any FlinkService, facts: JobObservation.ClusterFacts, checkpointDirectory: String? = nil,
        allowedURIPrefixes: [String]? = nil, signatures: SignatureTrust = SignatureTrust()
    ) {
        self.signatures = signatures
        self.name = name
        self.client = client
        self.facts = facts
        self.checkpointDirectory = checkpointDirectory
        self.allowedURIPrefixes = allowedURIPrefixes
    }
}

/// The answer to "can I use cluster X now?".
public enum ClusterLookup: Sendable {
    /// No FlinkSessionCluster of that name exists.
    case missing
    /// It exists but must not be called now (unreachable, circuit breaker open); carries why.
    case unavailable(reason: String)
    /// Usable.
    case available(ClusterHandle)
}

/// What the FlinkJob controller needs from whatever tracks session clusters (the FlinkSessionCluster controller's
/// registry in Kubernetes mode and in local mode alike).
public protocol FlinkClusterAccess: Sendable {
    /// The cluster named `name`, if it can be used now.
    func lookup(_ name: String) async -> ClusterLookup
    /// Why `job` may not use its cluster (namespace policy, quotas, artifact policy); empty when admitted.
    func admissionProblems(for job: FlinkJob) async -> [Refusal]
    /// Feeds the cluster's circuit breaker with the result of a request a FlinkJob reconcile made.
    func recordRequest(cluster: String, failure: FlinkRESTError?) async
}

/// Reads the Secrets and ConfigMaps a FlinkJob refers to (signature keys, SQL scripts).
///
/// `nil` means the object or key does not exist; a thrown error means it could not be read now (the API server is
/// unreachable): a transient fault, never taken for "missing".
public protocol ReferenceLookup: Sendable {
    /// The bytes under `key` of Secret `namespace/name`, or `nil` when the Secret or key does not exist.
    func secretValue(namespace: String, name: String, key: String) async throws -> Data?
    /// The text under `key` of ConfigMap `namespace/name`, or `nil` when the ConfigMap or key does not exist.
    func configMapValue(namespace: String, name: String, key: String) async throws -> String?
}
