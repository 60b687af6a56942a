/// The state of a savepoint or stop-with-savepoint operation (`GET /jobs/:id/savepoints/:triggerid`).
///
/// Flink reports failures as a completed operation with a `failure-cause`; this type separates them.
public enum SavepointStatus: Hashable, Sendable {
    /// Not finished yet.
    case inProgress
    /// The savepoint was written to `location` (e.g. `file:/…/savepoint-abc123-0123456789ab`).
    case completed(location: String)
    /// No savepoint was written. The job keeps running unless the failure was on a finished or unknown job.
    case failed(FlinkFailureCause)

    /// Whether the operation ended (completed or failed).
    public var isFinished: Bool {
        if case .inProgress = self { return false }
        return true
    }
}
