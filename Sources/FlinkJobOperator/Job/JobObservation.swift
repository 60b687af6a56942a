import FlinkREST
import Foundation

/// What the observer saw of one FlinkJob's world before planning: the cluster and the Flink job.
///
/// A value, so the planner stays a pure function; the observer fills it from the Flink REST API and the caches.
public struct JobObservation: Sendable, Hashable {
    /// The session cluster as the operator sees it.
    public enum ClusterState: Sendable, Hashable {
        /// Reachable (breaker closed or half-open trial succeeded).
        case available(ClusterFacts)
        /// The FlinkSessionCluster exists but its REST API cannot be used now (unreachable, breaker open).
        case unavailable(reason: String)
        /// No FlinkSessionCluster of that name exists.
        case missing
    }

    /// Facts about a reachable cluster that decisions depend on.
    public struct ClusterFacts: Sendable, Hashable {
        /// The cluster runs the adaptive scheduler, so a parallelism change can be applied in place.
        public var supportsInPlaceRescale: Bool
        /// The default savepoint directory for jobs: the FlinkSessionCluster's `jobDefaults.savepointDirectory`,
        /// else the one Flink itself is configured with (`execution.checkpointing.savepoint-dir`), if any.
        public var defaultSavepointDirectory: String?
        /// The REST URL the FlinkSessionCluster points at now.
        public var restURL: String?
        /// The identity Flink reports for the cluster (`high-availability.cluster-id`, else the JobManager's RPC
        /// address and port); `nil` until a probe has read it.
        public var flinkClusterId: String?
        /// The JobManager process instance (`web.tmpdir`, unique per JobManager start with Flink's defaults);
        /// `nil` when unknown.
        public var jobManagerInstance: String?

        public init(
            supportsInPlaceRescale: Bool = false, defaultSavepointDirectory: String? = nil, restURL: String? = nil,
            flinkClusterId: String? = nil, jobManagerInstance: String? = nil
        ) {
            self.supportsInPlaceRescale = supportsInPlaceRescale
            self.defaultSavepointDirectory = defaultSavepointDirectory
            self.restURL = restURL
            self.flinkClusterId = flinkClusterId
            self.jobManagerInstance = jobManagerInstance
        }
    }

    /// The content a spec refers to outside itself (a SQL script in a ConfigMap), as far as it decides the job.
    public enum ReferencedContent: Sendable, Hashable {
        /// The spec refers to nothing outside itself.
        case none
        /// The referenced content, by its SHA-256 (hex): part of the desired spec's hash, so a change redeploys.
        case content(hash: String)
        /// The reference does not exist.
        case missing(String)
        /// It could not be read now (transient): decisions that depend on it wait.
        case unavailable(String)
    }

    /// The state of the savepoint operation recorded in `status.savepoints.pending`.
    public enum SavepointProgress: Sendable, Hashable {
        case inProgress
        case completed(location: String)
        case failed(cause: String)
    }

    public var cluster: ClusterState
    /// The Flink job whose id is in `status.job.id`; `nil` when there is none or Flink does not know it.
    public var job: FlinkJobSnapshot?
    /// Progress of the pending savepoint trigger, when one is recorded in status.
    public var savepoint: SavepointProgress?
    /// Batch: the Flink jobs of the active runs Flink knows, by job id (absent ids are unknown to Flink).
    public var runs: [String: FlinkJobSnapshot]
    /// The newest checkpoint still in storage next to the last recorded one, when the operator can list that
    /// storage (`file://` under one of its configured state directories): Flink keeps only the newest, so the
    /// recorded path may have been subsumed since. `nil` when the storage cannot be listed (s3, hdfs, …).
    public var retainedCheckpoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?
    /// A savepoint of the job being stopped with a savepoint, found in storage though the stop's answer was lost
    /// (a JobManager restart forgets its triggers): the stop's savepoint, not in status yet.
    public var stopSavepoint: String?
    /// Whether the lost (or ended) job's own checkpoint directory could be listed: then `retainedCheckpoint`
    /// (or its absence) is the whole truth about checkpoints that job completed.
    public var ownCheckpointsListed = false
    /// The content the spec refers to (SQL from a ConfigMap).
    public var references: ReferencedContent

    public init(
        cluster: ClusterState, job: FlinkJobSnapshot? = nil, savepoint: SavepointProgress? = nil,
        runs: [String: FlinkJobSnapshot] = [:], retainedCheckpoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint? = nil,
        references: ReferencedContent = .none
    ) {
        self.cluster = cluster
        self.job = job
        self.savepoint = savepoint
        self.runs = runs
        self.retainedCheckpoint = retainedCheckpoint
        self.references = references
    }

    /// The cluster's facts when it is usable.
    public var facts: ClusterFacts? {
        if case .available(let facts) = cluster { return facts }
        return nil
    }
}

/// One Flink job as observed.
public struct FlinkJobSnapshot: Sendable, Hashable {
    public var id: String
    public var state: FlinkJobState
    public var tasks: FlinkJobStatus.Job.Tasks
    public var startTime: Date?
    /// The highest vertex parallelism: what `status.parallelism` reports.
    public var parallelism: Int?
    public var restarts: Int64?
    public var lastCompletedCheckpoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?
    public var failedCheckpoints: Int64?
    /// The latest savepoint Flink knows for this job (e.g. taken by a stop whose answer the operator missed).
    public var latestSavepoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?
    /// The root cause when the job failed, trimmed (exception class and message).
    public var failureCause: String?
    /// The highest backpressured-time ratio (0–1) of any subtask, when it was measured.
    public var maxBackpressureRatio: Double?

    public init(
        id: String, state: FlinkJobState, tasks: FlinkJobStatus.Job.Tasks = .init(), startTime: Date? = nil,
        parallelism: Int? = nil, restarts: Int64? = nil,
        lastCompletedCheckpoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint? = nil,
        failedCheckpoints: Int64? = nil, latestSavepoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint? = nil,
        failureCause: String? = nil,
        maxBackpressureRatio: Double? = nil
    ) {
        self.id = id
        self.state = state
        self.tasks = tasks
        self.startTime = startTime
        self.parallelism = parallelism
        self.restarts = restarts
        self.lastCompletedCheckpoint = lastCompletedCheckpoint
        self.failedCheckpoints = failedCheckpoints
        self.latestSavepoint = latestSavepoint
        self.failureCause = failureCause
        self.maxBackpressureRatio = maxBackpressureRatio
    }

    /// Running with every task running or finished: what `Ready` means for a streaming job.
    ///
    /// Finished subtasks count: a source with fewer splits than subtasks (e.g. after scaling up) finishes the
    /// idle ones while the job runs healthily.
    public var isFullyRunning: Bool {
        state == .running && tasks.running > 0 && tasks.running + tasks.finished == tasks.total
    }
}
