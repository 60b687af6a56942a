import ControllerRuntime
import FlinkREST
import Logging

/// Deletes jars no FlinkJob needs any more, per cluster, shortly after a job lets go of one.
///
/// "Needed" means: named in some FlinkJob's `status.artifact.flinkJarId` (the cache of FlinkJobs is the source of
/// truth). Collection is debounced per cluster and never blocks a reconcile.
public actor JarCollector {
    private let uploads: JarUploads
    private let clusters: any FlinkClusterAccess
    private let jobs: Store<FlinkJob>
    private let delay: Duration
    private let logger: Logger
    private var scheduled: Set<String> = []

    public init(uploads: JarUploads, clusters: any FlinkClusterAccess, jobs: Store<FlinkJob>, delay: Duration = .seconds(5), logger: Logger) {
        self.uploads = uploads
        self.clusters = clusters
        self.jobs = jobs
        self.delay = delay
        self.logger = logger
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
            return try await uploads.collect(cluster: cluster, client: handle.client, referenced: referenced)
        } catch {
            logger.warning("Collecting unused jars failed", metadata: ["flink.cluster": "\(cluster)", "error": "\(error)"])
            return []
        }
    }
}
