import ControllerRuntime
import FlinkModel
import FlinkREST
import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Logging
import Synchronization

@testable import FlinkJobOperator

/// The middle test layer: the operator's real reconcilers (FlinkJob and FlinkSessionCluster), status writer,
/// registry, observer and executor, against the Kubernetes API emulator (over HTTPS) and the deterministic
/// in-memory Flink model — driven pass by pass, so a test controls exactly when each reconcile runs and what
/// happens in between, and asserts the order of the effects both sides saw.
///
/// "Restarting the operator" throws every in-memory piece away (caches, registry, upload memory) and builds them
/// anew from what the API server and Flink hold, as a process restart would.
final class ScenarioWorld: @unchecked Sendable {
    // @unchecked: mutated only by the test's own task (one scenario drives one world sequentially).
    static let namespace = "team-a"
    static let restURL = "http://flink-model.test:8081"

    let emulator: KubernetesEmulator
    let client: KubernetesClient
    let flink: InMemoryFlink
    let faults: FaultyFlinkService
    let directory: URL
    let clock: Locked<Date>
    /// The operator's monotonic clock (circuit breakers), moved by `advance` only.
    let monotonic = Locked<ContinuousClock.Instant>(.now)
    let logger: Logger
    private(set) var operatorGeneration = 0
    private var parts: Parts
    /// Reconcile the FlinkSessionClusters at most this often (operator time), as their requeue would; `nil`:
    /// before every FlinkJob pass.
    var clusterProbeInterval: Duration?
    private var lastClusterPass: ContinuousClock.Instant?
    /// A replica that lost the lease but may still wake up and run a pass with its old caches.
    private var zombie: Parts?
    /// The generation of the replica holding the lease: the truth the fencing invariant is checked against.
    let leader = Locked<Int>(0)
    /// How the reconcilers check leadership: `.honest` asks the lease; `.ignored` is a mutant that never does.
    let leadershipCheck: LeadershipCheck

    enum LeadershipCheck: Sendable { case honest, ignored }

    /// The operator's in-memory state: what a crash loses.
    struct Parts {
        let clusters: Store<FlinkSessionCluster>
        let jobs: Store<FlinkJob>
        let registry: FlinkClusterRegistry
        let clusterReconciler: FlinkSessionClusterReconciler
        let jobReconciler: FlinkJobReconciler
        let events: EventRecorder
    }

    let recordedEvents = Locked<[Event]>([])

    /// The repository's CRDs, parsed once per process (a simulation starts thousands of worlds).
    private static let crds = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try ["flinkjob.yaml", "flinksessioncluster.yaml"].flatMap { file in
            try KubernetesEmulator.yamlDocuments(try String(contentsOf: root.appendingPathComponent("crds/\(file)"), encoding: .utf8))
        }
    }

    static func start(
        configuration: InMemoryFlink.Configuration = .init(endpoint: restURL, timings: .immediate), seed: UInt64 = 1,
        settings: PlannerSettings = PlannerSettings(requeueJitter: 0), leadershipCheck: LeadershipCheck = .honest,
        inProcess: Bool = false
    ) async throws -> ScenarioWorld {
        var emulatorConfiguration = KubernetesEmulator.Configuration()
        emulatorConfiguration.namespaces = [namespace, "flink-system"]
        let emulator = try await KubernetesEmulator.start(emulatorConfiguration)
        for crd in try crds.get() { try await emulator.installCRD(crd) }
        var logger = Logger(label: "scenario")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let kubernetes = KubernetesConfiguration(
            server: emulator.baseURL, tls: TLSConfiguration(trustRoots: .pem(emulator.caCertificatePEM)),
            authentication: .bearer(StaticBearerToken(emulator.adminToken)))
        // In-process: the emulator's whole request path without sockets or TLS (simulations); else HTTPS.
        let client = inProcess
            ? KubernetesClient(configuration: kubernetes, httpClient: InProcessEmulatorTransport(emulator: emulator), logger: logger)
            : try KubernetesClient(configuration: kubernetes, logger: logger, watchIdleTimeout: .seconds(120))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("artifacts"), withIntermediateDirectories: true)
        let flink = InMemoryFlink(configuration: configuration, seed: seed)
        let world = ScenarioWorld(
            emulator: emulator, client: client, flink: flink, faults: FaultyFlinkService(wrapping: flink, seed: seed),
            directory: directory, logger: logger, settings: settings, leadershipCheck: leadershipCheck)
        try world.writeArtifact("orders.jar")
        try world.writeArtifact("sql-runner.jar", bytes: "sql runner bytes")
        try emulator.create(
            .flinkSessionClusters, namespace: nil,
            ["apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkSessionCluster", "metadata": ["name": "default"],
             "spec": ["restURL": .string(restURL), "probe": ["interval": "1s", "timeout": "1s"]]])
        return world
    }

    private let settings: PlannerSettings

    private init(
        emulator: KubernetesEmulator, client: KubernetesClient, flink: InMemoryFlink, faults: FaultyFlinkService,
        directory: URL, logger: Logger, settings: PlannerSettings, leadershipCheck: LeadershipCheck
    ) {
        self.emulator = emulator
        self.client = client
        self.flink = flink
        self.faults = faults
        self.directory = directory
        self.logger = logger
        self.settings = settings
        self.leadershipCheck = leadershipCheck
        clock = Locked(Date(timeIntervalSince1970: Double(flink.now) / 1000))
        storage = ModelCheckpointStorage(flink: flink)
        parts = Self.build(
            client: client, services: faults, directory: directory, clock: clock, logger: logger, settings: settings,
            events: recordedEvents, storage: storage, leadership: Self.leadership(leader, generation: 0, leadershipCheck),
            monotonic: monotonic)
    }

    /// The checkpoint storage the operator lists (the model's; `listable = false` makes it s3-like).
    let storage: ModelCheckpointStorage

    /// The fencing check a replica of `generation` makes before every side effect.
    private static func leadership(_ leader: Locked<Int>, generation: Int, _ check: LeadershipCheck) -> @Sendable () -> Bool {
        switch check {
        case .honest: { leader.withLock { $0 } == generation }
        case .ignored: { true }
        }
    }

    func stop() async {
        await zombie?.registry.shutdown()
        await parts.registry.shutdown()
        await client.shutdown()
        await emulator.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func build(
        client: KubernetesClient, services: FaultyFlinkService, directory: URL, clock: Locked<Date>, logger: Logger,
        settings: PlannerSettings, events: Locked<[Event]>, storage: any CheckpointStorage,
        leadership: @escaping @Sendable () -> Bool, monotonic: Locked<ContinuousClock.Instant>
    ) -> Parts {
        let clusters = Store<FlinkSessionCluster>()
        let jobs = Store<FlinkJob>()
        let secrets = Store<Secret>()
        secrets.load([])
        let registry = FlinkClusterRegistry(
            clusters: clusters, secrets: secrets, jobs: jobs, namespaces: nil,
            services: FlinkServiceFactory { _, _, _ in services }, logger: logger,
            monotonicNow: { monotonic.withLock { $0 } })
        let recorder = EventRecorder(
            sink: RecordingEventSink(events: events),
            configuration: EventRecorderConfiguration(reportingInstance: "scenario", clusterScopedNamespace: "default"),
            logger: logger)
        let artifacts = ArtifactSettings(
            artifactDirectories: [directory.appendingPathComponent("artifacts").path],
            cacheDirectory: directory.appendingPathComponent("cache").path,
            sqlRunnerJar: directory.appendingPathComponent("artifacts/sql-runner.jar").path)
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let api = KubernetesObjectAPI<FlinkJob>(client: client)
        let references = KubernetesReferenceLookup(client: client)
        let jobReconciler = FlinkJobReconciler(
            api: api,
            observer: JobObserver(clusters: registry, references: references, storage: storage, logger: logger),
            executor: JobExecutor(
                fetcher: ArtifactFetcher(settings: artifacts, http: UnusedHTTPClient(), logger: logger),
                uploads: JarUploads(logger: logger), references: references, clusters: registry, logger: logger, now: now),
            planner: JobPlanner(settings: settings), validator: JobValidator(artifactDirectories: artifacts.artifactDirectories),
            clusters: registry, events: recorder, jars: nil, leadership: leadership, logger: logger, now: now)
        let clusterReconciler = FlinkSessionClusterReconciler(
            registry: registry, api: KubernetesObjectAPI<FlinkSessionCluster>(client: client), events: nil, logger: logger,
            clock: { KubeTime(now()) })
        return Parts(
            clusters: clusters, jobs: jobs, registry: registry, clusterReconciler: clusterReconciler,
            jobReconciler: jobReconciler, events: recorder)
    }

    /// Throws the operator's in-memory state away and starts afresh (a crash and restart).
    func restartOperator() async {
        await parts.registry.shutdown()
        operatorGeneration += 1
        leader.withLock { [operatorGeneration] in $0 = operatorGeneration }
        parts = buildParts()
        lastClusterPass = nil
    }

    /// Another replica takes the lease (the leader paused past its renew deadline); the old one is kept as a
    /// zombie that may wake up (`reconcileZombie`) with the caches it had.
    func handOver() async {
        await zombie?.registry.shutdown()
        zombie = parts
        operatorGeneration += 1
        leader.withLock { [operatorGeneration] in $0 = operatorGeneration }
        parts = buildParts()
        lastClusterPass = nil
    }

    private func buildParts() -> Parts {
        Self.build(
            client: client, services: faults, directory: directory, clock: clock, logger: logger, settings: settings,
            events: recordedEvents, storage: storage,
            leadership: Self.leadership(leader, generation: operatorGeneration, leadershipCheck), monotonic: monotonic)
    }

    /// The zombie replica wakes up and runs one pass on `name`, its caches caught up with what its watches
    /// delivered while it was paused, as a paused leader would before noticing it lost the lease.
    @discardableResult
    func reconcileZombie(_ name: String) async -> Result<Action, any Error>? {
        guard let zombie else { return nil }
        if let jobs = try? await client.resources(FlinkJob.self, namespace: nil).list() { zombie.jobs.load(jobs.items) }
        if let clusters = try? await client.resources(FlinkSessionCluster.self, namespace: nil).list() {
            zombie.clusters.load(clusters.items)
        }
        guard let job = zombie.jobs.get(ObjectKey(namespace: Self.namespace, name: name)) else { return nil }
        return await run(job, on: zombie)
    }

    // MARK: Objects

    var jobsAPI: ResourceClient<FlinkJob> { client.resources(FlinkJob.self, namespace: Self.namespace) }

    @discardableResult
    func writeArtifact(_ name: String, bytes: String = "jar bytes") throws -> String {
        let path = directory.appendingPathComponent("artifacts/\(name)")
        try Data(bytes.utf8).write(to: path)
        return "file://\(path.path)"
    }

    /// A streaming jar job on the default cluster, savepoints under the model's savepoint directory.
    func streamingJob(_ name: String, upgradeMode: FlinkJobSpec.UpgradeMode = .savepoint) -> FlinkJob {
        var spec = FlinkJobSpec(
            artifact: .init(jar: .init(uri: artifactURI("orders.jar"), entryClass: "org.example.StreamingJob")),
            args: ["--rate", "5"], parallelism: 1, upgradeMode: upgradeMode)
        spec.checkpointing = .init(interval: "1s")
        spec.savepoints = .init(directory: "file:/flink/savepoints")
        return FlinkJob(metadata: ObjectMeta(name: name, namespace: Self.namespace), spec: spec)
    }

    func artifactURI(_ name: String) -> String { "file://" + directory.appendingPathComponent("artifacts/\(name)").path }

    @discardableResult
    func create(_ job: FlinkJob) async throws -> FlinkJob { try await jobsAPI.create(job) }

    func job(_ name: String) async throws -> FlinkJob { try await jobsAPI.get(name) }

    /// Changes the spec as `kubectl edit` does (read, change, replace).
    @discardableResult
    func edit(_ name: String, _ change: (inout FlinkJobSpec) -> Void) async throws -> FlinkJob {
        var job = try await jobsAPI.get(name)
        change(&job.spec)
        return try await jobsAPI.replace(job)
    }

    // MARK: Driving

    /// Advances the operator's and Flink's clocks together.
    func advance(by duration: Duration) {
        flink.advance(by: duration)
        clock.withLock { $0 = $0.addingTimeInterval(duration.inSeconds) }
        monotonic.withLock { $0 = $0.advanced(by: duration) }
    }

    /// One reconcile of every FlinkSessionCluster, then one of FlinkJob `name` (the caches refreshed from the API
    /// server first, as the watches would have). Returns the action, or the error the pass threw.
    @discardableResult
    func reconcile(_ name: String) async throws -> Result<Action, any Error> {
        try await reconcile([name])[0]
    }

    /// `reconcile(_:)` for several FlinkJobs, one after the other, the caches refreshed once; stops early once
    /// `crashed` holds (the process died in the middle of the pass).
    @discardableResult
    func reconcile(_ names: [String], crashed: () -> Bool = { false }) async throws -> [Result<Action, any Error>] {
        let now = monotonic.withLock { $0 }
        let due: Bool
        if let interval = clusterProbeInterval, let last = lastClusterPass { due = now >= last + interval } else { due = true }
        // Only the cluster reconciler writes FlinkSessionClusters: their cache is refreshed when it runs.
        if due {
            lastClusterPass = now
            try await refreshCaches(jobs: false)
            for cluster in parts.clusters.list() {
                _ = try? await parts.clusterReconciler.reconcile(cluster, context: context(for: cluster.objectKey!))
            }
        }
        try await refreshCaches(clusters: false)
        var results: [Result<Action, any Error>] = []
        for name in names where !crashed() {
            guard let job = parts.jobs.get(ObjectKey(namespace: Self.namespace, name: name)) else {
                results.append(.success(.awaitChange))
                continue
            }
            results.append(await run(job, on: parts))
        }
        return results
    }

    /// One FlinkJob reconcile of `job` by `replica`, its events flushed; the action, or the error the pass threw.
    private func run(_ job: FlinkJob, on replica: Parts) async -> Result<Action, any Error> {
        let result: Result<Action, any Error>
        do {
            result = .success(try await replica.jobReconciler.reconcile(job, context: context(for: job.objectKey!)))
        } catch {
            result = .failure(error)
        }
        await replica.events.flush()
        return result
    }

    /// Reconciles `job` exactly as given — e.g. an object read earlier, as a lagging informer cache would hand it
    /// to the reconciler.
    @discardableResult
    func reconcile(stale job: FlinkJob) async throws -> Result<Action, any Error> {
        try await refreshCaches()
        return await run(job, on: parts)
    }

    /// The FlinkJob `name` as stored at the moment of the first `jars/run` after this call (the intent the
    /// operator recorded just before submitting), for replaying it later as a stale read.
    func objectAtFirstRunJar(_ name: String) -> Locked<FlinkJob?> {
        let captured = Locked<FlinkJob?>(nil)
        let client = client
        faults.setBefore { operation in
            guard operation == .runJar, captured.withLock({ $0 == nil }) else { return }
            let stored = try? await client.resources(FlinkJob.self, namespace: Self.namespace).get(name)
            captured.withLock { $0 = stored }
        }
        return captured
    }

    /// Reconciles `name` and advances time by `step` between passes until `done` holds (at most `passes` times);
    /// returns the job as it ended.
    @discardableResult
    func settle(
        _ name: String, passes: Int = 40, step: Duration = .milliseconds(500), until done: (FlinkJob) -> Bool
    ) async throws -> FlinkJob {
        for _ in 0..<passes {
            try await reconcile(name)
            if let job = try? await job(name), done(job) { return job }
            advance(by: step)
        }
        let last = try await job(name)
        throw ScenarioError.didNotSettle(name: name, status: "\(String(describing: last.status))\n\(flink.history)")
    }

    private func refreshCaches(clusters refreshClusters: Bool = true, jobs refreshJobs: Bool = true) async throws {
        if refreshClusters {
            let clusters = try await client.resources(FlinkSessionCluster.self, namespace: nil).list()
            parts.clusters.load(clusters.items)
        }
        if refreshJobs {
            let jobs = try await client.resources(FlinkJob.self, namespace: nil).list()
            parts.jobs.load(jobs.items)
        }
    }

    private func context(for key: ObjectKey) -> ReconcileContext {
        ReconcileContext(id: ReconcileContext.makeID(), key: key, controller: "scenario", logger: logger, retries: 0)
    }

    // MARK: Reading

    var events: [Event] { recordedEvents.withLock { $0 } }

    func events(reason: String) -> [Event] { events.filter { $0.reason == reason } }

    /// Flink's effects (calls that changed something), in order.
    var effects: [ModelEffect] { flink.effects }

    func liveFlinkJobs(_ name: String) -> [ModelJobInfo] { flink.liveJobs(named: "\(Self.namespace)/\(name)") }
}

enum ScenarioError: Error, CustomStringConvertible {
    case didNotSettle(name: String, status: String)
    var description: String {
        switch self {
        case .didNotSettle(let name, let status): "\(name) did not settle: \(status)"
        }
    }
}

/// The model's checkpoint storage as the operator would list a shared `file://` directory — or, with
/// `listable = false`, storage it cannot list (s3, hdfs).
final class ModelCheckpointStorage: CheckpointStorage, Sendable {
    let flink: InMemoryFlink
    let listableFlag = Atomic<Bool>(true)

    init(flink: InMemoryFlink) { self.flink = flink }

    var listable: Bool {
        get { listableFlag.load(ordering: .relaxed) }
        set { listableFlag.store(newValue, ordering: .relaxed) }
    }

    func newestRetained(near recorded: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint)
        -> FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?
    {
        guard listable, let path = recorded.path, let slash = path.lastIndex(of: "/") else { return nil }
        let directory = String(path[..<slash])
        let newest = flink.snapshots.filter { $0.kind == .checkpoint && $0.path.hasPrefix(directory + "/chk-") }
            .max { $0.checkpointID < $1.checkpointID }
        return newest.map { .init(id: $0.checkpointID, time: nil, path: $0.path) }
    }

    func canList(_ directory: String) -> Bool { listable }

    func savepoints(in directory: String, ofJob jobID: String) -> [String] {
        guard listable else { return [] }
        let prefix = (directory.hasSuffix("/") ? directory : directory + "/") + "savepoint-\(jobID.prefix(6))-"
        return flink.snapshots.filter { $0.kind == .savepoint && $0.path.hasPrefix(prefix) }
            .sorted { $0.checkpointID > $1.checkpointID }.map(\.path)
    }
}

/// Events kept in memory for assertions.
struct RecordingEventSink: EventSink {
    let events: Locked<[Event]>

    func create(_ event: Event) async throws -> Event {
        events.withLock { $0.append(event) }
        return event
    }

    func updateSeries(of event: Event, to series: EventSeries) async throws -> Event {
        var updated = event
        updated.series = series
        events.withLock { $0.append(updated) }
        return updated
    }
}

/// A value behind a lock, shareable (a `Mutex` in a class).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

extension GroupVersionResource {
    static let flinkSessionClusters = GroupVersionResource(
        group: "flink.jobcontroller.io", version: "v1alpha1", resource: "flinksessionclusters")
    static let flinkJobs = GroupVersionResource(group: "flink.jobcontroller.io", version: "v1alpha1", resource: "flinkjobs")
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
