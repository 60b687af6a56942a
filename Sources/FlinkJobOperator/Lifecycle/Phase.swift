/// The stored lifecycle state of a FlinkJob (`status.phase`): the one state the transitions of
/// `docs/lifecycle.md` move between. Conditions and the printer column's `state` are derived from it
/// (`StatusProjection`), never the other way round.
///
/// Streaming jobs use `pending … held`; batch jobs use `pending`, `running`, `scheduled`, `succeeded`, `failed`,
/// `suspended` and `held`.
public enum Phase: String, Sendable, Hashable, Codable, CaseIterable {
    /// No Flink job of this FlinkJob is live and none is being submitted (never deployed, ended, lost, or
    /// waiting to retry).
    case pending = "Pending"
    /// A submission under `status.job.id` is recorded; Flink may or may not run it yet.
    case deploying = "Deploying"
    /// The recorded Flink job is live (batch: at least one run is active).
    case running = "Running"
    /// The recorded job is being stopped (`status.stop` says why and how).
    case stopping = "Stopping"
    /// `spec.state: Suspended` and nothing runs.
    case suspended = "Suspended"
    /// A streaming job ended on its own (a bounded source).
    case finished = "Finished"
    /// Failed beyond `recovery.backoffLimit` (or `onFailure: Never`): nothing runs until the spec changes.
    case failed = "Failed"
    /// The operator refuses to act until a person decides (`status.hold`).
    case held = "Held"
    /// Batch with a schedule: waiting for the next time.
    case scheduled = "Scheduled"
    /// Batch: done (a one-off run succeeded, or `maxRuns` reached).
    case succeeded = "Succeeded"

    /// The phase of a status written before `phase` existed (an object an earlier version of the operator
    /// managed). The legacy summary `state` is read for this once; as soon as a pass writes `phase`, it never is.
    static func migrated(from status: FlinkJobStatus) -> Phase {
        switch status.state {
        case nil, .pending?: return status.job?.id == nil ? .pending : (status.job?.flinkState == nil ? .deploying : .running)
        case .deploying?: return status.job?.flinkState == nil ? .deploying : .running
        case .running?, .upgrading?: return .running
        case .suspending?, .deleting?: return .running
        case .suspended?: return .suspended
        case .failed?: return .failed
        case .succeeded?: return status.runs == nil ? .finished : .succeeded
        case .scheduled?: return .scheduled
        case .held?: return .held
        }
    }
}
