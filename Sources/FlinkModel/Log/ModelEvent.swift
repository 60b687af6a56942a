import FlinkREST

/// Something the model did on its own (time passing) or a fault a test caused, in the same sequence as the
/// `ModelEffect`s.
public struct ModelEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// A job entered a state (including the INITIALIZING of a new job).
        case jobStateChanged(FlinkJobID, FlinkJobState)
        /// A checkpoint completed and was stored at `path`.
        case checkpointCompleted(FlinkJobID, checkpointID: Int64, path: String)
        /// A checkpoint failed.
        case checkpointFailed(FlinkJobID, checkpointID: Int64)
        /// A savepoint operation wrote its savepoint.
        case savepointCompleted(FlinkJobID, trigger: FlinkTriggerID, location: String)
        /// A savepoint operation failed (summary of the cause).
        case savepointFailed(FlinkJobID, trigger: FlinkTriggerID, cause: String)
        /// A path was deleted from storage (subsumed, discarded with its job, disposed of, or by a test).
        case snapshotDeleted(path: String)
        /// A job now runs with this parallelism (after a rescale).
        case jobRescaled(FlinkJobID, parallelism: Int)
        /// The JobManager restarted without HA.
        case jobManagerRestarted(keptJars: Bool)
    }

    /// Position in the model's history (effects and events), strictly increasing.
    public var sequence: Int
    /// Model time (epoch ms).
    public var time: Int64
    /// What happened.
    public var kind: Kind

    public var description: String { "#\(sequence) @\(time) \(kind)" }
}
