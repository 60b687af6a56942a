import JSONCore
import Kubernetes

/// What the operator observed and decided about a FlinkJob; written only through the status subresource.
///
/// Every field the reconcile loop needs to resume after a crash lives here (the deploy sequence and Flink job id
/// are written *before* a submission, a pending savepoint trigger before it is polled), because status is the
/// operator's only durable memory.
public struct FlinkJobStatus: Sendable, Hashable, Codable {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var state: SummaryState?
    public var job: Job?
    public var parallelism: Int?
    /// Label selector for the scale subresource (`flink.jobcontroller.io/flinkjob=<name>`).
    public var selector: String?
    /// Counts submissions; the Flink job id of submission `n` is derived from the object's UID and `n`.
    public var deploySequence: Int64?
    public var lastAppliedSpecHash: String?
    public var lastStableSpecHash: String?
    /// The deploy-relevant spec (`DeploySpec`) the current Flink job was made from.
    public var lastAppliedSpec: JSONValue?
    /// The last spec that became healthy, kept for rollback.
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
            tasks: Tasks? = nil, submitTime: KubeTime? = nil, restoredFrom: String? = nil, cluster: String? = nil
        ) {
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
    }

    /// A completed savepoint.
    public struct SavepointRecord: Sendable, Hashable, Codable {
        public var location: String
        public var time: KubeTime
        public var reason: SavepointReason
        public var checkpointId: Int64?
        public init(location: String, time: KubeTime, reason: SavepointReason, checkpointId: Int64? = nil) {
            self.checkpointId = checkpointId
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
        /// Consecutive failed savepoint attempts (reset by a success); paces the retries.
        public var failedAttempts: Int?
        public var lastFailureTime: KubeTime?
        public var disposals: [String]?

        public struct PendingSavepoint: Sendable, Hashable, Codable {
            /// Flink's trigger (request) id to poll.
            public var triggerId: String
            public var reason: SavepointReason
            public var startedAt: KubeTime
            public init(triggerId: String, reason: SavepointReason, startedAt: KubeTime) {
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
        public var failedCount: Int64?

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

    /// Failures recovered from since the last spec change (bounded by `recovery.backoffLimit`).
    public struct Failures: Sendable, Hashable, Codable {
        public var count: Int
        public var lastTime: KubeTime?
        public var lastMessage: String?
        public init(count: Int = 0, lastTime: KubeTime? = nil, lastMessage: String? = nil) {
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
            public init(run: Int64, jobId: String, startTime: KubeTime, flinkState: String? = nil) {
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
