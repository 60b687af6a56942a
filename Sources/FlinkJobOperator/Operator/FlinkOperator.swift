import ControllerRuntime
import FlinkREST
import Foundation
import HTTPTransport
import Kubernetes
import Logging
import Metrics
import ServiceLifecycle

/// Where the operator's objects live: the one seam between the controllers and Kubernetes (or local files).
///
/// The controllers, the planner and the registry see only these interfaces; a backend provides them.
public struct OperatorBackend: Sendable {
    public var flinkJobs: any ObjectAPI<FlinkJob>
    public var sessionClusters: any ObjectAPI<FlinkSessionCluster>
    /// Secrets for cluster TLS/auth (`nil`: no Secrets are available, e.g. local mode).
    public var secrets: (any ObjectAPI<Secret>)?
    /// Namespaces for `allowedNamespaces.selector` (`nil`: only `allowedNamespaces.names` admit).
    public var namespaces: (any ObjectAPI<NamespaceResource>)?
    public var events: any EventSink
    /// Secrets and ConfigMaps a FlinkJob refers to (signature keys, SQL scripts).
    public var references: any ReferenceLookup

    public init(
        flinkJobs: any ObjectAPI<FlinkJob>, sessionClusters: any ObjectAPI<FlinkSessionCluster>,
        secrets: (any ObjectAPI<Secret>)?, namespaces: (any ObjectAPI<NamespaceResource>)?, events: any EventSink,
        references: any ReferenceLookup
    ) {
        self.flinkJobs = flinkJobs
        self.sessionClusters = sessionClusters
        self.secrets = secrets
        self.namespaces = namespaces
        self.events = events
        self.references = references
    }
}

/// What the operator is told to do, independent of how it was configured (flags, files, environment).
public struct OperatorSettings: Sendable {
    /// Namespaces whose FlinkJobs are watched.
    public var namespaces: ReflectorConfiguration.Namespaces
    /// Only FlinkJobs with matching labels are managed.
    public var labelSelector: String?
    /// Namespaces whose Secrets are cached (where FlinkSessionCluster TLS/auth Secrets live).
    public var secretNamespaces: ReflectorConfiguration.Namespaces
    public var workers: Int
    public var planner: PlannerSettings
    public var artifacts: ArtifactSettings
    public var flinkRequestTimeout: Duration
    /// Identity in events (`reportingInstance`) and the Lease.
    public var identity: String
    /// Where Events about cluster-scoped objects go.
    public var clusterScopedEventNamespace: String
    /// `file://` directories of checkpoint storage the operator sees as Flink does (it lists them to prove a
    /// lost job's newest checkpoint still exists); elsewhere a lost stateful job is held rather than restarted.
    public var stateDirectories: [String]
    /// What the controllers talk to for a cluster (the REST client; tests substitute the Flink model).
    public var services: FlinkServiceFactory
    /// Whether this replica leads now: checked right before every side effect (fencing). Without leader
    /// election, always true.
    public var leadership: @Sendable () -> Bool

    public init(
        namespaces: ReflectorConfiguration.Namespaces = .all, labelSelector: String? = nil,
        secretNamespaces: ReflectorConfiguration.Namespaces, workers: Int = 4, planner: PlannerSettings = .init(),
        artifacts: ArtifactSettings, flinkRequestTimeout: Duration = .seconds(30), identity: String,
        clusterScopedEventNamespace: String, stateDirectories: [String] = [], services: FlinkServiceFactory = .rest,
        leadership: @escaping @Sendable () -> Bool = { true }
    ) {
        self.stateDirectories = stateDirectories
        self.services = services
        self.leadership = leadership
        self.namespaces = namespaces
        self.labelSelector = labelSelector
        self.secretNamespaces = secretNamespaces
        self.workers = workers
        self.planner = planner
        self.artifacts = artifacts
        self.flinkRequestTimeout = flinkRequestTimeout
        self.identity = identity
        self.clusterScopedEventNamespace = clusterScopedEventNamespace
    }
}

/// The operator assembled: caches, the cluster registry and both controllers, ready to run in a `ServiceGroup`.
///
/// `cacheServices` (reflectors, event recorder) run on every replica, so a standby's caches are warm when it
/// takes over; `controllerServices` run only while leading (wrap them in `LeaderElectedServices`).
public final class FlinkOperator: Sendable {
    public let jobs: Store<FlinkJob>
    public let clusters: Store<FlinkSessionCluster>
    public let registry: FlinkClusterRegistry
    public let events: EventRecorder
    public let jobController: Controller<FlinkJobReconciler>
    public let clusterController: Controller<FlinkSessionClusterReconciler>
    public let cacheServices: [any Service]
    public let controllerServices: [any Service]
    private let syncChecks: [@Sendable () -> Bool]
    private let artifactHTTP: CurlHTTPClient

    public init(
        backend: OperatorBackend, settings: OperatorSettings, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        let events = EventRecorder(
            sink: backend.events,
            configuration: EventRecorderConfiguration(
                reportingInstance: settings.identity, clusterScopedNamespace: settings.clusterScopedEventNamespace),
            logger: logger, metricsFactory: metricsFactory)
        let jobReflector = Reflector(
            api: AnyObjectAPI(backend.flinkJobs),
            configuration: ReflectorConfiguration(namespaces: settings.namespaces, labelSelector: settings.labelSelector),
            eventRecorder: events, logger: logger, metricsFactory: metricsFactory)
        let clusterReflector = Reflector(
            api: AnyObjectAPI(backend.sessionClusters), eventRecorder: events, logger: logger, metricsFactory: metricsFactory)
        var caches: [any Service] = [events, jobReflector, clusterReflector]
        var syncChecks: [@Sendable () -> Bool] = [{ jobReflector.hasSynced }, { clusterReflector.hasSynced }]

        let secrets: Store<Secret>
        if let secretAPI = backend.secrets {
            let reflector = Reflector(
                api: AnyObjectAPI(secretAPI), configuration: ReflectorConfiguration(namespaces: settings.secretNamespaces),
                logger: logger, metricsFactory: metricsFactory)
            secrets = reflector.store
            caches.append(reflector)
            syncChecks.append { reflector.hasSynced }
        } else {
            secrets = Store()
            secrets.load([])
        }
        var namespaces: Store<NamespaceResource>?
        if let namespaceAPI = backend.namespaces {
            let reflector = Reflector(api: AnyObjectAPI(namespaceAPI), logger: logger, metricsFactory: metricsFactory)
            namespaces = reflector.store
            caches.append(reflector)
            syncChecks.append { reflector.hasSynced }
        }

        let registry = FlinkClusterRegistry(
            clusters: clusterReflector.store, secrets: secrets, jobs: jobReflector.store, namespaces: namespaces,
            services: settings.services, logger: logger, metricsFactory: metricsFactory)
        artifactHTTP = try CurlHTTPClient(configuration: .init(
            requestTimeout: settings.artifacts.downloadTimeout, idleTimeout: .seconds(60),
            maxResponseBodyBytes: Int(clamping: settings.artifacts.maxDownloadBytes), logger: logger))
        let uploads = JarUploads(logger: logger)
        let fetcher = ArtifactFetcher(settings: settings.artifacts, http: artifactHTTP, logger: logger)
        let collector = JarCollector(
            uploads: uploads, clusters: registry, jobs: jobReflector.store, sessionClusters: clusterReflector.store,
            logger: logger)
        let observed = ObservedJobValues()
        caches.append(JobMetricsCollector(jobs: jobReflector.store, observed: observed, factory: metricsFactory, now: now))
        let jobReconciler = FlinkJobReconciler(
            api: backend.flinkJobs,
            observer: JobObserver(
                clusters: registry, references: backend.references,
                storage: LocalCheckpointStorage(directories: settings.stateDirectories), logger: logger),
            executor: JobExecutor(
                fetcher: fetcher, uploads: uploads, references: backend.references, clusters: registry, logger: logger, now: now),
            planner: JobPlanner(settings: settings.planner),
            validator: JobValidator(artifactDirectories: settings.artifacts.artifactDirectories),
            clusters: registry, events: events, jars: collector, metrics: JobMetrics(factory: metricsFactory),
            observed: observed, leadership: settings.leadership, logger: logger, now: now)
        let controllerConfiguration = ControllerConfiguration(workers: settings.workers)
        let jobController = Controller(
            name: "flinkjob", reconciler: jobReconciler, store: jobReflector.store, configuration: controllerConfiguration,
            logger: logger, metricsFactory: metricsFactory)
        // A cluster change (spec, probe result, breaker) re-evaluates the jobs on it.
        let jobs = jobReflector.store
        jobController.watches(clusterReflector.store) { cluster in
            jobs.list().filter { ($0.status?.job?.cluster ?? $0.spec.clusterRef.name) == cluster.metadata.name }
                .compactMap(\.objectKey)
        }
        let clusterController = Controller(
            name: "flinksessioncluster",
            reconciler: FlinkSessionClusterReconciler(
                registry: registry, api: backend.sessionClusters, events: events, logger: logger),
            store: clusterReflector.store, configuration: ControllerConfiguration(workers: 2), logger: logger,
            metricsFactory: metricsFactory)
        let clusters = clusterReflector.store
        let secretStore = secrets
        clusterController.watches(secretStore) { secret in
            FlinkClusterRegistry.clusters(referencing: secret, in: clusters)
        }

        self.jobs = jobReflector.store
        self.clusters = clusterReflector.store
        self.registry = registry
        self.events = events
        self.jobController = jobController
        self.clusterController = clusterController
        self.cacheServices = caches
        self.controllerServices = [clusterController, jobController, collector]
        self.syncChecks = syncChecks
    }

    /// Whether every cache has been filled once (readiness).
    public var hasSynced: Bool { syncChecks.allSatisfy { $0() } }

    /// Releases the HTTP clients (after the services ended).
    public func shutdown() async {
        await registry.shutdown()
        await artifactHTTP.shutdown()
    }
}
