import ControllerRuntime
import FlinkREST
import Logging
import ServiceLifecycle

/// Deletes jars no FlinkJob needs any more, per cluster: shortly after a job lets go of one (deleted, upgraded to
/// another artifact, batch TTL expired) and every `interval` for every cluster (a jar uploaded moments before it
/// was released is kept for a grace period, so the periodic pass picks it up later).
///
/// "Needed" means: named in some FlinkJob's `status.artifact.flinkJarId` (the cache of FlinkJobs is the source of
/// truth). Collection is debounced per cluster and never blocks a reconcile. A `Service` for the periodic pass.
public actor JarCollector: Service {
    private let uploads: JarUploads
    private let clusters: any FlinkClusterAccess
    private let jobs: Store<FlinkJob>
    private let delay: Duration
    private let logger: Logger
    private var scheduled: Set<String> = []

    private let sessionClusters: Store<FlinkSessionCluster>?
    private let interval: Duration

    public init(
        uploads: JarUploads, clusters: any FlinkClusterAccess, jobs: Store<FlinkJob>,
        sessionClusters: Store<FlinkSessionCluster>? = nil, delay: Duration = .seconds(5),
        interval: Duration = .seconds(600), logger: Logger
    ) {
        self.uploads = uploads
        self.clusters = clusters
        self.jobs = jobs
        self.sessionClusters = sessionClusters
        self.delay = delay
        self.interval = interval
        self.logger = logger
    }

    /// Collects on every known cluster every `interval` until graceful shutdown.
    public nonisolated func run() async throws {
        // Graceful shutdown cancels the wait (and a collection in progress; jars are simply collected next time).
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.interval)
                for name in self.sessionClusters?.list().compactMap(\.metadata.name) ?? [] {
                    await self.collect(cluster: name)
                }
            }
        }
    }

    /// Schedules a collection on `cluster` (once per debounce window).
    public func collectSoon(cluster: String) {
        guard scheduled.insert(cluster).inserted else { return }
        Task { [delay] in
            try? await Task.sleep(for: delay)
            await self.collect(cluster: cluster)
        }
    }

    /// Collects now; returns the deleted jar ids.
    @discardableResult
    public func collect(cluster: String) async -> [String] {
        scheduled.remove(cluster)
        guard case .available(let handle) = await clusters.lookup(cluster) else { return [] }
        let referenced = Set(jobs.list().compactMap { $0.status?.artifact?.flinkJarId })
        do {
            return try await uploads.collect(cluster: cluster, client: handle.client, referenced: referenced, grace: .seconds(120))
        } catch {
            logger.warning("Collecting unused jars failed", metadata: ["flink.cluster": "\(cluster)", "error": "\(error)"])
            return []
        }
    }
}
