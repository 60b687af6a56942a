/// The state of a savepoint disposal (`GET /savepoint-disposal/:triggerid`).
public enum SavepointDisposalStatus: Hashable, Sendable {
    /// Not finished yet.
    case inProgress
    /// The savepoint's files are deleted.
    case completed
    /// Nothing was deleted; `cause.isMissingSavepoint` tells that the savepoint did not exist (anymore).
    case failed(FlinkFailureCause)
}
