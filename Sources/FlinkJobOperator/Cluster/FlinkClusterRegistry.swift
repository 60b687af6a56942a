import ControllerRuntime
import FlinkREST
import Kubernetes
import Logging
import Metrics
import Synchronization

/// The session clusters as FlinkJob reconciles see them: clients, circuit breakers, probe results and policies.
///
/// Filled by the FlinkSessionCluster controller (probe results) and read by the FlinkJob controller through
/// `FlinkClusterAccess`:
/// - `client(for:)` — a cached Flink REST client (rebuilt when the spec or a referenced Secret changes; Secrets
///   come from the cache) and the breaker's decision;
/// - `admit(_:)` — namespace policy, quotas and artifact policy (`ClusterPolicy`), with reasons;
/// - `info(for:)` — scheduler, Flink version and slots from the last successful probe;
/// - `recordResult(cluster:failure:)` — results of requests made by FlinkJob reconciles feed the breaker.
///
/// Metrics (label `cluster`): `flink_cluster_circuit_breaker_state{state}` (1 for the current state of
/// `closed`, `open`, `half_open`, 0 for the others) and `flink_cluster_health_status` (1 when Ready).
public final class FlinkClusterRegistry: FlinkClusterAccess, Sendable {
    private struct Entry {
        var connection: ClusterConnection?
        var breaker: CircuitBreaker
        var info: ClusterInfo?
        var ready = false
    }

    private let clusters: Store<FlinkSessionCluster>
    private let secrets: Store<Secret>
    private let jobs: Store<FlinkJob>?
    private let namespaces: Store<NamespaceResource>?
    private let logger: Logger
    private let metricsFactory: any MetricsFactory
    private let entries = Mutex<[String: Entry]>([:])
    private let services: FlinkServiceFactory
    /// Transports replaced by newer connections, shut down after a grace period so in-flight requests finish.
    private let retired = Mutex<[(connection: ClusterConnection, at: ContinuousClock.Instant)]>([])
    /// The breakers' clock (the simulation moves it by hand).
    private let monotonicNow: @Sendable () -> ContinuousClock.Instant

    /// A registry over the operator's caches.
    ///
    /// - Parameters:
    ///   - jobs: the FlinkJob cache, for namespace slot quotas (quotas are not enforced without it).
    ///   - namespaces: the Namespace cache, for `allowedNamespaces.selector`; without it only `names` admit.
    ///   - services: what the FlinkJob and FlinkSessionCluster controllers talk to for a cluster (the REST client
    ///     as built, unless a test puts the Flink model or a fault-injecting decorator in its place).
    public init(
        clusters: Store<FlinkSessionCluster>, secrets: Store<Secret>, jobs: Store<FlinkJob>?,
        namespaces: Store<NamespaceResource>?, services: FlinkServiceFactory = .rest, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        monotonicNow: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.monotonicNow = monotonicNow
        self.services = services
        self.clusters = clusters
        self.secrets = secrets
        self.jobs = jobs
        self.namespaces = namespaces
        self.logger = logger
        self.metricsFactory = metricsFactory
    }

    // MARK: Queries

    /// The client for cluster `name` and whether the breaker lets a request through now.
    public func client(for name: String) -> ClientLookup {
        guard let cluster = clusters.get(ObjectKey(namespace: nil, name: name)) else {
            forget(name)
            return .missing
        }
        return client(for: cluster)
    }

    /// The client for `cluster` (as given, e.g. by its own reconcile) and the breaker's decision.
    public func client(for cluster: FlinkSessionCluster) -> ClientLookup {
        switch connection(for: cluster) {
        case .success(let (connection, decision)):
            .available(services.service(cluster.metadata.name ?? "", cluster.spec.restURL, connection.client), breaker: decision)
        case .failure(let error): .misconfigured(error)
        }
    }

    /// The cached (or newly built) connection of `cluster` and the breaker's decision.
    func connection(for cluster: FlinkSessionCluster)
        -> Result<(ClusterConnection, CircuitBreaker.Decision), ClusterConnectionError>
    {
        let name = cluster.metadata.name ?? ""
        let key = ClusterConnection.key(for: cluster, secrets: secrets)
        let threshold = cluster.spec.probe.failureThreshold
        let openDuration = GoDuration.parse(cluster.spec.probe.openDuration) ?? .seconds(30)
        let cached = entries.withLock { entries -> ClusterConnection? in
            var entry =
                entries[name] ?? Entry(breaker: CircuitBreaker(failureThreshold: threshold, openDuration: openDuration))
            if entry.breaker.failureThreshold != threshold || entry.breaker.openDuration != openDuration {
                entry.breaker.reconfigure(failureThreshold: threshold, openDuration: openDuration)
            }
            entries[name] = entry
            return entry.connection?.key == key ? entry.connection : nil
        }
        let connection: ClusterConnection
        if let cached {
            connection = cached
        } else {
            // Built outside the lock (it starts a transport); a replaced connection is retired, not cut off.
            do {
                connection = try ClusterConnection.build(cluster: cluster, secrets: secrets, logger: logger)
            } catch {
                return .failure(error)
            }
            let replaced = entries.withLock { entries -> ClusterConnection? in
                let old = entries[name]?.connection
                entries[name]?.connection = connection
                return old
            }
            if let replaced { retire(replaced) }
        }
        let decision = entries.withLock { entries -> CircuitBreaker.Decision in
            let decision = entries[name]?.breaker.decide(now: monotonicNow()) ?? .allow
            if let state = entries[name]?.breaker.state { publishBreaker(name, state) }
            return decision
        }
        return .success((connection, decision))
    }

    /// The service the probe of `cluster` talks to (its probe-timeout client, through the service factory).
    func probeService(for cluster: FlinkSessionCluster, connection: ClusterConnection) -> any FlinkService {
        services.service(cluster.metadata.name ?? "", cluster.spec.restURL, connection.probeClient)
    }

    /// Whether `job` may use its cluster; a missing cluster refuses.
    public func admit(_ job: FlinkJob) -> Admission {
        let name = job.spec.clusterRef.name
        guard let cluster = clusters.get(ObjectKey(namespace: nil, name: name)) else {
            return .refused([Refusal(.invalidSpec, "FlinkSessionCluster \"\(name)\" does not exist")])
        }
        let labels: [String: String]?
        if let namespaces, namespaces.hasSynced, let namespace = job.metadata.namespace {
            labels = namespaces.get(ObjectKey(namespace: nil, name: namespace))?.metadata.labels ?? [:]
        } else {
            labels = nil
        }
        return ClusterPolicy.evaluate(job, on: cluster, namespaceLabels: labels, jobs: jobs?.list() ?? [])
    }

    /// What the last successful probe of `name` found.
    public func info(for name: String) -> ClusterInfo? {
        entries.withLock { $0[name]?.info }
    }

    /// The breaker of `name` as written in the status (closed when never used).
    public func breakerStatus(for name: String) -> FlinkSessionClusterStatus.CircuitBreakerStatus? {
        entries.withLock { $0[name]?.breaker.status }
    }

    // MARK: Results

    /// Feeds the breaker of `cluster`: `failure == nil` is a success (closes it); a message counts a failure.
    public func recordResult(cluster name: String, failure: String?, retryAfter: Duration? = nil) {
        entries.withLock { entries in
            guard entries[name] != nil else { return }
            if let failure {
                entries[name]?.breaker.recordFailure(failure, now: monotonicNow(), wallClock: .now(), retryAfter: retryAfter)
            } else {
                entries[name]?.breaker.recordSuccess()
            }
            if let state = entries[name]?.breaker.state { publishBreaker(name, state) }
        }
    }

    /// Records a probe's findings (`nil` info: the probe failed or found the cluster not ready).
    func recordProbe(cluster name: String, info: ClusterInfo?, ready: Bool) {
        entries.withLock { entries in
            if let info { entries[name]?.info = info }
            entries[name]?.ready = ready
        }
        Gauge(label: "flink_cluster_health_status", dimensions: [("cluster", name)], factory: metricsFactory)
            .record(ready ? 1 : 0)
    }

    // MARK: FlinkClusterAccess

    public func lookup(_ name: String) async -> ClusterLookup {
        guard let cluster = clusters.get(ObjectKey(namespace: nil, name: name)) else { return .missing }
        switch client(for: cluster) {
        case .missing:
            return .missing
        case .misconfigured(let error):
            return .unavailable(reason: "FlinkSessionCluster \"\(name)\" is misconfigured: \(error)")
        case .available(_, .reject(let reason, _)):
            return .unavailable(reason: "FlinkSessionCluster \"\(name)\": \(reason)")
        case .available(let client, _):
            // No job is acted on before its cluster answered one probe: the probe gives the facts decisions rest
            // on (the checkpoint directory a lost job's state is looked for in, the JobManager's identity, the
            // default savepoint directory). Without them a lost job would look stateless and start empty.
            guard let probed = info(for: name) else {
                return .unavailable(reason: "FlinkSessionCluster \"\(name)\" has not answered a probe yet")
            }
            let facts = JobObservation.ClusterFacts(
                supportsInPlaceRescale: probed.supportsInPlaceRescale,
                defaultSavepointDirectory: cluster.spec.jobDefaults?.savepointDirectory ?? probed.savepointDirectory,
                restURL: cluster.spec.restURL, flinkClusterId: probed.flinkClusterId,
                jobManagerInstance: probed.jobManagerInstance)
            return .available(
                ClusterHandle(
                    name: name, client: client, facts: facts,
                    checkpointDirectory: cluster.spec.jobDefaults?.checkpointDirectory ?? probed.checkpointDirectory,
                    allowedURIPrefixes: cluster.spec.artifactPolicy?.allowedURIPrefixes,
                    signatures: SignatureTrust(
                        required: cluster.spec.artifactPolicy?.requireSignature ?? false,
                        keys: cluster.spec.artifactPolicy?.trustedKeys ?? [])))
        }
    }

    public func admissionProblems(for job: FlinkJob) async -> [Refusal] {
        admit(job).refusals
    }

    public func recordRequest(cluster: String, failure: FlinkRESTError?) async {
        recordResult(cluster: cluster, failure: failure.map { $0.description }, retryAfter: failure?.retryAfter)
    }

    // MARK: Lifecycle

    /// Stops every transport (at operator shutdown).
    public func shutdown() async {
        let connections = entries.withLock { entries -> [ClusterConnection] in
            defer { entries = [:] }
            return entries.values.compactMap(\.connection)
        }
        let old = retired.withLock { retired -> [ClusterConnection] in
            defer { retired = [] }
            return retired.map(\.connection)
        }
        for connection in connections + old { await connection.shutdown() }
    }

    /// Shuts down transports retired more than a minute ago (called by the cluster controller's reconciles).
    func sweepRetired() async {
        let now = ContinuousClock.now
        let due = retired.withLock { retired -> [ClusterConnection] in
            let due = retired.filter { now - $0.at > .seconds(60) }.map(\.connection)
            retired.removeAll { now - $0.at > .seconds(60) }
            return due
        }
        for connection in due { await connection.shutdown() }
    }

    private func retire(_ connection: ClusterConnection) {
        retired.withLock { $0.append((connection, .now)) }
    }

    private func forget(_ name: String) {
        let removed = entries.withLock { $0.removeValue(forKey: name) }
        if let connection = removed?.connection { retire(connection) }
    }

    private func publishBreaker(_ name: String, _ state: CircuitBreaker.State) {
        let current: String
        switch state {
        case .closed: current = "closed"
        case .halfOpen: current = "half_open"
        case .open: current = "open"
        }
        for label in ["closed", "open", "half_open"] {
            Gauge(
                label: "flink_cluster_circuit_breaker_state", dimensions: [("cluster", name), ("state", label)],
                factory: metricsFactory
            ).record(label == current ? 1 : 0)
        }
    }
}

extension FlinkClusterRegistry {
    /// The keys of the cached FlinkSessionClusters that reference `secret` (TLS or auth): what to reconcile when
    /// it changes (the cluster controller's `watches(secrets, mapper:)`).
    public static func clusters(referencing secret: Secret, in clusters: Store<FlinkSessionCluster>) -> [ObjectKey] {
        guard let namespace = secret.metadata.namespace, let name = secret.metadata.name else { return [] }
        return clusters.list().filter { cluster in
            ClusterConnection.referencedSecrets(cluster.spec).contains { $0.namespace == namespace && $0.name == name }
        }.compactMap(\.objectKey)
    }
}
