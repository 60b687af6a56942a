import ControllerRuntime
import FlinkREST
import Kubernetes
import Logging

/// Probes each FlinkSessionCluster and records what it found in its status and in the `FlinkClusterRegistry`.
///
/// One reconcile = one probe (the controller's periodic requeue is `spec.probe.interval`):
/// 1. get the client from the registry (built from the spec and the cached Secrets); a bad URL or a missing
///    Secret gives `Ready=False, reason=InvalidConfiguration`;
/// 2. ask the circuit breaker: while it is open no probe is sent (`Ready=False, reason=CircuitOpen`) and the
///    next reconcile is at the end of `probe.openDuration`, when the probe is the half-open trial;
/// 3. probe `GET /overview` (TaskManagers, slots, running jobs, Flink version) and `GET /jobmanager/config`
///    (`jobmanager.scheduler` → `status.scheduler`), each bounded by `probe.timeout`; transient failures feed
///    the breaker, success closes it;
/// 4. `Ready=True` when the REST API answered and at least one TaskManager is registered (`NoTaskManagers`
///    otherwise, `Unreachable` with Flink's or the transport's message when the probe failed);
/// 5. write the status only when it changed. `lastProbeTime` alone does not count as a change unless the stored
///    one is older than `lastProbeRefresh` (5 minutes): status writes stay rare while nothing happens.
/// Ready transitions are recorded as events (`ClusterReady` Normal, `ClusterNotReady` Warning).
public struct FlinkSessionClusterReconciler: Reconciler {
    public typealias Object = FlinkSessionCluster

    /// How stale `status.lastProbeTime` may get before it is rewritten although nothing else changed.
    public static let lastProbeRefresh: Duration = .seconds(300)

    private let registry: FlinkClusterRegistry
    private let statusWriter: StatusWriter<FlinkSessionCluster>
    private let events: EventRecorder?
    private let clock: @Sendable () -> KubeTime

    /// A reconciler writing through `api` and recording into `registry`.
    public init(
        registry: FlinkClusterRegistry, api: any ObjectAPI<FlinkSessionCluster>, events: EventRecorder?, logger: Logger,
        clock: @escaping @Sendable () -> KubeTime = { .now() }
    ) {
        self.registry = registry
        statusWriter = StatusWriter(api: api, logger: logger)
        self.events = events
        self.clock = clock
    }

    public func reconcile(_ cluster: FlinkSessionCluster, context: ReconcileContext) async throws -> Action {
        let name = cluster.metadata.name ?? ""
        let interval = GoDuration.parse(cluster.spec.probe.interval) ?? .seconds(10)
        await registry.sweepRetired()
        var status = cluster.status ?? FlinkSessionClusterStatus()
        let now = clock()
        var next: Action = .requeue(after: interval)
        let ready: (status: Condition.Status, reason: String, message: String)

        switch registry.connection(for: cluster) {
        case .failure(let error):
            ready = (.false, "InvalidConfiguration", "\(error)")
            registry.recordProbe(cluster: name, info: nil, ready: false)
        case .success((_, .reject(let reason, let retryAt))):
            ready = (.false, "CircuitOpen", "Flink REST API not called: \(reason)")
            next = .requeue(after: max(retryAt - .now, .milliseconds(100)))
            registry.recordProbe(cluster: name, info: nil, ready: false)
        case .success((let connection, _)):
            ready = try await probe(cluster, client: registry.probeService(for: cluster, connection: connection), into: &status, context: context)
            status.lastProbeTime = now
        }

        status.observedGeneration = cluster.metadata.generation
        status.circuitBreaker = registry.breakerStatus(for: name)
        var conditions = status.conditions ?? []
        conditions.set(
            "Ready", status: ready.status, reason: ready.reason, message: ready.message,
            observedGeneration: cluster.metadata.generation, now: now)
        status.conditions = conditions
        status.message = ready.status == .true ? nil : ready.message

        // lastProbeTime alone is not worth a write until it is stale.
        var compared = status
        if let stored = cluster.status?.lastProbeTime,
            now.secondsSince1970 - stored.secondsSince1970 < Int64(Self.lastProbeRefresh.components.seconds)
        {
            compared.lastProbeTime = stored
        }
        let result = try await statusWriter.write(cluster, status: compared)
        if result.wasWritten {
            recordTransition(cluster, from: cluster.status?.conditions?[type: "Ready"], to: ready)
        }
        return next
    }

    /// Probes the cluster and fills the observed fields; returns the Ready condition.
    private func probe(
        _ cluster: FlinkSessionCluster, client: any FlinkService, into status: inout FlinkSessionClusterStatus,
        context: ReconcileContext
    ) async throws -> (status: Condition.Status, reason: String, message: String) {
        let name = cluster.metadata.name ?? ""
        do {
            let overview = try await client.clusterOverview()
            let configuration = try await client.jobManagerConfiguration()
            registry.recordResult(cluster: name, failure: nil)
            let identity = ClusterInfo.identity(of: configuration.entries)
            let info = ClusterInfo(
                name: name, flinkVersion: overview.flinkVersion,
                scheduler: ClusterInfo.scheduler(fromFlinkValue: configuration.scheduler),
                taskManagers: overview.taskManagers, slotsTotal: overview.slotsTotal,
                slotsAvailable: overview.slotsAvailable, jobsRunning: overview.jobsRunning,
                flinkClusterId: identity.clusterId, jobManagerInstance: identity.jobManagerInstance,
                savepointDirectory: identity.savepointDirectory, checkpointDirectory: identity.checkpointDirectory)
            status.flinkVersion = info.flinkVersion
            status.taskManagers = info.taskManagers
            status.slotsTotal = info.slotsTotal
            status.slotsAvailable = info.slotsAvailable
            status.jobsRunning = info.jobsRunning
            status.scheduler = info.scheduler
            let ready = info.taskManagers >= 1
            registry.recordProbe(cluster: name, info: info, ready: ready)
            if ready {
                return (
                    .true, "Reachable",
                    "Flink \(info.flinkVersion ?? "?") with \(info.taskManagers) TaskManager"
                        + "\(info.taskManagers == 1 ? "" : "s"), \(info.slotsAvailable) of \(info.slotsTotal) slots free"
                )
            }
            return (.false, "NoTaskManagers", "the Flink REST API answers but no TaskManager is registered")
        } catch {
            // A cancelled probe (shutdown, lost leadership) observed nothing: write nothing.
            if case .cancelled = error { throw CancellationError() }
            if Task.isCancelled { throw CancellationError() }
            if error.isTransient {
                registry.recordResult(cluster: name, failure: error.description)
            }
            registry.recordProbe(cluster: name, info: nil, ready: false)
            context.logger.warning(
                "Flink session cluster probe failed", metadata: ["error": "\(error)", "flink.rest_url": "\(client.endpoint)"])
            let reason = error.isTransient ? "Unreachable" : "ProbeFailed"
            return (.false, reason, "probing \(client.endpoint) failed: \(error)")
        }
    }

    private func recordTransition(
        _ cluster: FlinkSessionCluster, from old: Condition?,
        to new: (status: Condition.Status, reason: String, message: String)
    ) {
        guard let events, old?.status != new.status || old?.reason != new.reason else { return }
        if new.status == .true {
            events.record(.normal, reason: "ClusterReady", action: "Probe", regarding: cluster, note: new.message)
        } else {
            events.record(.warning, reason: "ClusterNotReady", action: "Probe", regarding: cluster, note: new.message)
        }
    }
}
