/// A job's checkpointing settings, `GET /jobs/:id/checkpoints/config`.
public struct CheckpointConfiguration: Codable, Hashable, Sendable {
    /// Whether and how checkpoints outlive the job.
    public struct Externalization: Codable, Hashable, Sendable {
        /// Whether completed checkpoints are retained when the job ends.
        public var enabled: Bool
        /// Whether retained checkpoints are deleted on cancellation.
        public var deleteOnCancellation: Bool

        enum CodingKeys: String, CodingKey {
            case enabled
            case deleteOnCancellation = "delete_on_cancellation"
        }
    }

    /// `exactly_once` or `at_least_once`.
    public var mode: String
    /// Interval in ms.
    public var interval: Int64
    /// Timeout in ms.
    public var timeout: Int64
    /// Minimum pause between checkpoints in ms.
    public var minPause: Int64
    /// Most concurrent checkpoints.
    public var maxConcurrent: Int
    /// Retention of checkpoints when the job ends.
    public var externalization: Externalization
    /// The state backend, e.g. `HashMapStateBackend`.
    public var stateBackend: String?
    /// The checkpoint storage, e.g. `FileSystemCheckpointStorage`.
    public var checkpointStorage: String?
    /// Whether unaligned checkpoints are enabled.
    public var unalignedCheckpoints: Bool?
    /// Failed checkpoints tolerated before the job fails.
    public var tolerableFailedCheckpoints: Int?

    enum CodingKeys: String, CodingKey {
        case mode, interval, timeout
        case minPause = "min_pause"
        case maxConcurrent = "max_concurrent"
        case externalization
        case stateBackend = "state_backend"
        case checkpointStorage = "checkpoint_storage"
        case unalignedCheckpoints = "unaligned_checkpoints"
        case tolerableFailedCheckpoints = "tolerable_failed_checkpoints"
    }
}
