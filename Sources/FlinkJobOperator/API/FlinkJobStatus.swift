import JSONCore
import Kubernetes

/// What the operator observed and decided about a FlinkJob; written only through the status subresource.
///
/// Every field the reconcile loop needs to resume after a crash lives here (the deploy sequence and Flink job id
/// are written *before* a submission, a pending savepoint trigger before it is polled), because status is the
/// operator's only durable memory.
public struct FlinkJobStatus: Sendable, Hashable, Codable {
    public var observedGeneration: Int64?
    /// Derived from the lifecycle record below on every pass (`StatusProjection`); never read back as input.
    public var conditions: [Condition]?
    /// The printer column's summary, derived from `phase` (`StatusProjection`); never read back as input.
    public var state: SummaryState?
    /// The stored lifecycle state: the one field the transitions (docs/lifecycle.md) move between.
    public var phase: Phase?
    /// A stop of the current job in progress (upgrade, suspend, delete, rollback): why and how.
    public var stop: StopOperation?
    /// The artifact of a spec fetched, verified and uploaded ahead of deploying it (an upgrade prepares before it
    /// stops the running job).
    public var prepared: PreparedArtifact?
    /// Why the operator refuses to act until a person decides (and how to release it).
    public var hold: Hold?
    /// The backoff of an operation that failed for a reason that is not a job failure (an artifact server down, a
    /// Flink 5xx, a savepoint that failed): when it may be tried again.
    public var retry: Retry?
    /// Health problems of the running job (stale checkpoints, failing checkpoints, backpressure), as last judged.
    public var health: Health?
    /// The next deploy, decided and not made yet.
    public var pendingDeploy: PendingDeploy?
    /// What keeps the operator from acting now (refusal, cluster missing or unreachable).
    public var blocker: Blocker?
    public var job: Job?
    public var parallelism: Int?
    /// Label selector for the scale subresource (`flink.jobcontroller.io/flinkjob=<name>`).
    public var selector: String?
    /// Counts submissions; the Flink job id of submission `n` is derived from the object's UID and `n`.
    public var deploySequence: Int64?
    /// The deploy whose start the current state descends from: the last one that started without state or from
    /// `spec.initialSavepointPath`. State of earlier deploys is another lineage and never restored.
    public var stateLineageStart: Int64?
    public var lastAppliedSpecHash: String?
    public var lastStableSpecHash: String?
    /// The deploy-relevant spec (`DeploySpec`) the current Flink job was made from, when its encoding is at most
    /// `SpecCopy.limit` bytes (a resubmission after a crash repeats it); the hash is always kept.
    public var lastAppliedSpec: JSONValue?
    /// The last spec that became healthy, kept for rollback (only with `rollback.enabled`, only when it differs from
    /// the applied one, and only up to `SpecCopy.limit` bytes).
    public var lastStableSpec: JSONValue?
    /// Set while a rolled-back spec is in force: the spec that failed is not retried until it changes.
    public var rollback: RollbackStatus?
    public var artifact: ArtifactStatus?
    public var savepoints: SavepointStatus?
    public var checkpoints: CheckpointStatus?
    public var failures: Failures?
    public var runs: Runs?
    public var message: String?

    /// The printer column's one-word summary.
    public enum SummaryState: String, Sendable, Hashable, Codable {
        case pending = "Pending"
        case deploying = "Deploying"
        case running = "Running"
        case upgrading = "Upgrading"
        case suspending = "Suspending"
        case suspended = "Suspended"
        case failed = "Failed"
        case succeeded = "Succeeded"
        case scheduled = "Scheduled"
        case deleting = "Deleting"
        case held = "Held"
    }

    /// The Flink job of the current submission.
    public struct Job: Sendable, Hashable, Codable {
        /// The 32-hex Flink job id (deterministic, see `deploySequence`).
        public var id: String?
        /// Flink's job state as last observed (`RUNNING`, `FINISHED`, …); absent before the first observation.
        public var flinkState: String?
        public var startTime: KubeTime?
        public var restarts: Int64?
        public var tasks: Tasks?
        /// When the operator submitted this job (the readiness timeout of a rollback counts from here).
        public var submitTime: KubeTime?
        /// The savepoint or checkpoint this job was started from.
        public var restoredFrom: String?
        /// The FlinkSessionCluster the job was submitted to.
        public var cluster: String?
        /// The cluster's REST URL when the job was submitted (a FlinkSessionCluster re-pointed elsewhere is not
        /// where this job runs).
        public var restURL: String?
        /// The identity Flink reported for its cluster when the job was submitted (`high-availability.cluster-id`,
        /// else the JobManager's RPC address).
        public var flinkClusterId: String?
        /// What came of the submission: absent while its answer is unknown (in flight, or lost in a crash).
        public var submission: Submission?
        /// Since when the job has run with every task running (reset when it stops doing so).
        public var healthySince: KubeTime?
        /// Why this job was deployed.
        public var reason: Deployment.Reason?

        /// The answer to a submission.
        public enum Submission: String, Sendable, Hashable, Codable {
            /// Flink took it (or already had it).
            case accepted = "Accepted"
            /// Flink refused it for good (the program failed, a restore path was refused): no such job exists.
            case refused = "Refused"
            /// It was never sent (the artifact could not be prepared).
            case notSent = "NotSent"
        }

        public struct Tasks: Sendable, Hashable, Codable {
            public var total: Int
            public var running: Int
            public var pending: Int
            public var failed: Int
            public var finished: Int
            public init(total: Int = 0, running: Int = 0, pending: Int = 0, failed: Int = 0, finished: Int = 0) {
                self.total = total
                self.running = running
                self.pending = pending
                self.failed = failed
                self.finished = finished
            }
        }

        public init(
            id: String? = nil, flinkState: String? = nil, startTime: KubeTime? = nil, restarts: Int64? = nil,
            tasks: Tasks? = nil, submitTime: KubeTime? = nil, restoredFrom: String? = nil, cluster: String? = nil,
            restURL: String? = nil, flinkClusterId: String? = nil, submission: Submission? = nil,
            healthySince: KubeTime? = nil, reason: Deployment.Reason? = nil
        ) {
            self.restURL = restURL
            self.flinkClusterId = flinkClusterId
            self.submission = submission
            self.healthySince = healthySince
            self.reason = reason
            self.id = id
            self.flinkState = flinkState
            self.startTime = startTime
            self.restarts = restarts
            self.tasks = tasks
            self.submitTime = submitTime
            self.restoredFrom = restoredFrom
            self.cluster = cluster
        }
    }

    /// The artifact as uploaded to the cluster.
    public struct ArtifactStatus: Sendable, Hashable, Codable {
        public var uri: String?
        public var digest: String?
        public var flinkJarId: String?
        public init(uri: String? = nil, digest: String? = nil, flinkJarId: String? = nil) {
            self.uri = uri
            self.digest = digest
            self.flinkJarId = flinkJarId
        }
    }

    /// Why a savepoint was taken.
    public enum SavepointReason: String, Sendable, Hashable, Codable {
        case upgrade = "Upgrade"
        case suspend = "Suspend"
        case delete = "Delete"
        case periodic = "Periodic"
        case manual = "Manual"
        case rollback = "Rollback"
    }

    /// A completed savepoint.
    public struct SavepointRecord: Sendable, Hashable, Codable {
        public var location: String
        public var time: KubeTime
        public var reason: SavepointReason
        /// Flink's checkpoint id of the savepoint (savepoints share the job's checkpoint id sequence), or the id
        /// of the newest checkpoint completed before it when Flink's statistics did not list it: how it orders
        /// against checkpoints.
        public var checkpointId: Int64?
        /// The Flink job the savepoint was taken of.
        public var jobId: String?
        public init(location: String, time: KubeTime, reason: SavepointReason, checkpointId: Int64? = nil, jobId: String? = nil) {
            self.checkpointId = checkpointId
            self.jobId = jobId
            self.location = location
            self.time = time
            self.reason = reason
        }
    }

    /// Savepoints: the latest, the retained history (newest first) and a trigger in flight.
    public struct SavepointStatus: Sendable, Hashable, Codable {
        public var last: SavepointRecord?
        public var history: [SavepointRecord]?
        /// The `spec.savepointNonce` last acted upon.
        public var lastNonce: Int64?
        public var pending: PendingSavepoint?
        /// Savepoints that fell out of the history and are still to be disposed of (the operator's own, under the
        /// job's savepoint directory only).
        public var disposals: [String]?

        public struct PendingSavepoint: Sendable, Hashable, Codable {
            /// Flink's trigger (request) id to poll.
            public var triggerId: String
            public var reason: SavepointReason
            public var startedAt: KubeTime
            /// The Flink job the trigger belongs to.
            public var jobId: String?
            /// A stop-with-savepoint (the job ends) rather than a savepoint of a running job.
            public var stop: Bool?
            public init(triggerId: String, reason: SavepointReason, startedAt: KubeTime, jobId: String? = nil, stop: Bool? = nil) {
                self.jobId = jobId
                self.stop = stop
                self.triggerId = triggerId
                self.reason = reason
                self.startedAt = startedAt
            }
        }

        public init(
            last: SavepointRecord? = nil, history: [SavepointRecord]? = nil, lastNonce: Int64? = nil,
            pending: PendingSavepoint? = nil
        ) {
            self.last = last
            self.history = history
            self.lastNonce = lastNonce
            self.pending = pending
        }
    }

    /// Checkpoints of the current job.
    public struct CheckpointStatus: Sendable, Hashable, Codable {
        public var lastCompleted: CompletedCheckpoint?
        /// Failed checkpoints of the current job (Flink's count).
        public var failedCount: Int64?
        /// `failedCount` when `lastCompleted` was first seen: the failures since are the ones in a row.
        public var failedCountAtLastCompleted: Int64?

        public struct CompletedCheckpoint: Sendable, Hashable, Codable {
            public var id: Int64
            public var time: KubeTime?
            /// The external path a job can be restored from.
            public var path: String?
            public init(id: Int64, time: KubeTime? = nil, path: String? = nil) {
                self.id = id
                self.time = time
                self.path = path
            }
        }

        public init(lastCompleted: CompletedCheckpoint? = nil, failedCount: Int64? = nil) {
            self.lastCompleted = lastCompleted
            self.failedCount = failedCount
        }
    }

    /// Job failures since the last healthy run or spec change (bounded by `recovery.backoffLimit`). Only failures
    /// of the job count: a Flink job that failed, or a submission Flink refused because of the program; transient
    /// faults (an unreachable cluster, a 5xx, an artifact server down) never do.
    public struct Failures: Sendable, Hashable, Codable {
        public var count: Int
        public var lastTime: KubeTime?
        public var lastMessage: String?
        /// The Flink job whose failure was counted last (each job's failure counts once).
        public var lastJobId: String?
        public init(count: Int = 0, lastTime: KubeTime? = nil, lastMessage: String? = nil, lastJobId: String? = nil) {
            self.lastJobId = lastJobId
            self.count = count
            self.lastTime = lastTime
            self.lastMessage = lastMessage
        }
    }

    /// A rollback in force.
    public struct RollbackStatus: Sendable, Hashable, Codable {
        /// `lastAppliedSpecHash` of the spec that did not become ready in time.
        public var failedSpecHash: String
        public var time: KubeTime
        public init(failedSpecHash: String, time: KubeTime) {
            self.failedSpecHash = failedSpecHash
            self.time = time
        }
    }

    /// Batch runs.
    public struct Runs: Sendable, Hashable, Codable {
        public var count: Int64?
        public var lastScheduleTime: KubeTime?
        public var nextScheduleTime: KubeTime?
        public var missedCount: Int64?
        /// The newest schedule time that was skipped (missed its starting deadline, or Forbid while running).
        public var lastMissedTime: KubeTime?
        /// Runs in progress (several only with `concurrencyPolicy: Allow`).
        public var active: [ActiveRun]?
        /// Finished runs, newest first, pruned to the history limits.
        public var history: [RunRecord]?

        public struct ActiveRun: Sendable, Hashable, Codable {
            public var run: Int64
            public var jobId: String
            public var startTime: KubeTime
            /// Flink's state of the run's job when last seen; absent until Flink has been seen running it.
            public var flinkState: String?
            /// The JobManager instance (`web.tmpdir`) that was running the run when it was last seen: a run Flink
            /// forgets under the same instance expired from its history; under another, a restart lost it.
            public var jobManager: String?
            /// The operator asked Flink to cancel the run (deadline, Replace, deletion): it is recorded with this
            /// result once Flink reports it ended, not before.
            public var cancelling: RunResult?
            /// Why it is being cancelled.
            public var cancelMessage: String?
            public init(
                run: Int64, jobId: String, startTime: KubeTime, flinkState: String? = nil, jobManager: String? = nil,
                cancelling: RunResult? = nil, cancelMessage: String? = nil
            ) {
                self.jobManager = jobManager
                self.cancelling = cancelling
                self.cancelMessage = cancelMessage
                self.run = run
                self.jobId = jobId
                self.startTime = startTime
                self.flinkState = flinkState
            }
        }

        public struct RunRecord: Sendable, Hashable, Codable {
            public var run: Int64
            public var jobId: String
            public var startTime: KubeTime?
            public var endTime: KubeTime?
            public var result: RunResult
            public var message: String?
            public init(
                run: Int64, jobId: String, startTime: KubeTime?, endTime: KubeTime?, result: RunResult,
                message: String? = nil
            ) {
                self.run = run
                self.jobId = jobId
                self.startTime = startTime
                self.endTime = endTime
                self.result = result
                self.message = message
            }
        }

        public enum RunResult: String, Sendable, Hashable, Codable {
            case succeeded = "Succeeded"
            case failed = "Failed"
            case canceled = "Canceled"
            case deadlineExceeded = "DeadlineExceeded"
            /// Flink forgot the run (its job history expired while the operator was away): what came of it is not
            /// known, and it is not run again.
            case unknown = "Unknown"
        }

        public init(
            count: Int64? = nil, lastScheduleTime: KubeTime? = nil, nextScheduleTime: KubeTime? = nil,
            missedCount: Int64? = nil, lastMissedTime: KubeTime? = nil, active: [ActiveRun]? = nil,
            history: [RunRecord]? = nil
        ) {
            self.count = count
            self.lastScheduleTime = lastScheduleTime
            self.nextScheduleTime = nextScheduleTime
            self.missedCount = missedCount
            self.lastMissedTime = lastMissedTime
            self.active = active
            self.history = history
        }
    }

    public init() {}
}
