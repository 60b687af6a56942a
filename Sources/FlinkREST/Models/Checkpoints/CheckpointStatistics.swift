/// A job's checkpoint statistics, `GET /jobs/:id/checkpoints`: counts and the latest completed, savepoint,
/// failed and restored snapshots.
public struct CheckpointStatistics: Codable, Hashable, Sendable {
    /// How many snapshots there were.
    public struct Counts: Codable, Hashable, Sendable {
        /// Restores (from a savepoint at submission, and internal restores after failures or rescaling).
        public var restored: Int
        /// All triggered checkpoints.
        public var total: Int
        /// Checkpoints in progress.
        public var inProgress: Int
        /// Completed checkpoints.
        public var completed: Int
        /// Failed checkpoints (the first ones of a starting job often fail harmlessly).
        public var failed: Int

        /// Creates counts.
        public init(restored: Int = 0, total: Int = 0, inProgress: Int = 0, completed: Int = 0, failed: Int = 0) {
            self.restored = restored
            self.total = total
            self.inProgress = inProgress
            self.completed = completed
            self.failed = failed
        }

        enum CodingKeys: String, CodingKey {
            case restored, total
            case inProgress = "in_progress"
            case completed, failed
        }
    }

    /// A completed checkpoint or savepoint.
    public struct Completed: Codable, Hashable, Sendable {
        /// The checkpoint id.
        public var id: Int64
        /// `COMPLETED`.
        public var status: String?
        /// Whether it is a savepoint.
        public var isSavepoint: Bool
        /// When it was triggered (epoch ms).
        public var triggerTimestamp: Int64
        /// When the last task acknowledged it (epoch ms).
        public var latestAckTimestamp: Int64?
        /// `CHECKPOINT`, `SAVEPOINT`, `SYNC_SAVEPOINT`, …
        public var checkpointType: String?
        /// Where it is stored (`file:/…/chk-N`), when externalized.
        public var externalPath: String?
        /// Whether Flink already deleted it (subsumed).
        public var discarded: Bool?

        /// Creates a completed snapshot.
        public init(
            id: Int64, status: String? = nil, isSavepoint: Bool, triggerTimestamp: Int64,
            latestAckTimestamp: Int64? = nil, checkpointType: String? = nil, externalPath: String? = nil,
            discarded: Bool? = nil
        ) {
            self.id = id
            self.status = status
            self.isSavepoint = isSavepoint
            self.triggerTimestamp = triggerTimestamp
            self.latestAckTimestamp = latestAckTimestamp
            self.checkpointType = checkpointType
            self.externalPath = externalPath
            self.discarded = discarded
        }

        enum CodingKeys: String, CodingKey {
            case id, status
            case isSavepoint = "is_savepoint"
            case triggerTimestamp = "trigger_timestamp"
            case latestAckTimestamp = "latest_ack_timestamp"
            case checkpointType = "checkpoint_type"
            case externalPath = "external_path"
            case discarded
        }
    }

    /// A failed checkpoint.
    public struct Failed: Codable, Hashable, Sendable {
        /// The checkpoint id.
        public var id: Int64
        /// Whether it was a savepoint.
        public var isSavepoint: Bool?
        /// When it was triggered (epoch ms).
        public var triggerTimestamp: Int64
        /// When it failed (epoch ms).
        public var failureTimestamp: Int64?
        /// Why it failed.
        public var failureMessage: String?

        /// Creates a failed checkpoint.
        public init(
            id: Int64, isSavepoint: Bool? = nil, triggerTimestamp: Int64, failureTimestamp: Int64? = nil,
            failureMessage: String? = nil
        ) {
            self.id = id
            self.isSavepoint = isSavepoint
            self.triggerTimestamp = triggerTimestamp
            self.failureTimestamp = failureTimestamp
            self.failureMessage = failureMessage
        }

        enum CodingKeys: String, CodingKey {
            case id
            case isSavepoint = "is_savepoint"
            case triggerTimestamp = "trigger_timestamp"
            case failureTimestamp = "failure_timestamp"
            case failureMessage = "failure_message"
        }
    }

    /// The snapshot the job was last restored from.
    public struct Restored: Codable, Hashable, Sendable {
        /// Its checkpoint id.
        public var id: Int64
        /// When the restore happened (epoch ms).
        public var restoreTimestamp: Int64
        /// Whether it is a savepoint (Flink also says `true` for a retained checkpoint given as savepoint path).
        public var isSavepoint: Bool
        /// Its path, when it came from storage (`nil` for some internal restores).
        public var externalPath: String?

        /// Creates a restore.
        public init(id: Int64, restoreTimestamp: Int64, isSavepoint: Bool, externalPath: String? = nil) {
            self.id = id
            self.restoreTimestamp = restoreTimestamp
            self.isSavepoint = isSavepoint
            self.externalPath = externalPath
        }

        enum CodingKeys: String, CodingKey {
            case id
            case restoreTimestamp = "restore_timestamp"
            case isSavepoint = "is_savepoint"
            case externalPath = "external_path"
        }
    }

    /// The latest snapshot of each kind; `nil` when there was none.
    public struct Latest: Codable, Hashable, Sendable {
        /// The latest completed checkpoint.
        public var completed: Completed?
        /// The latest completed savepoint.
        public var savepoint: Completed?
        /// The latest failed checkpoint.
        public var failed: Failed?
        /// The latest restore.
        public var restored: Restored?

        /// Creates the latest snapshots.
        public init(
            completed: Completed? = nil, savepoint: Completed? = nil, failed: Failed? = nil, restored: Restored? = nil
        ) {
            self.completed = completed
            self.savepoint = savepoint
            self.failed = failed
            self.restored = restored
        }
    }

    /// The counts.
    public var counts: Counts
    /// The latest snapshots.
    public var latest: Latest

    /// Creates statistics.
    public init(counts: Counts, latest: Latest) {
        self.counts = counts
        self.latest = latest
    }
}
