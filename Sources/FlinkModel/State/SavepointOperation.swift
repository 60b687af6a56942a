import FlinkREST

/// One savepoint, stop-with-savepoint or savepoint-with-cancel, keyed like Flink's by (job id, trigger id).
///
/// Guarantees: a trigger id names one operation per job until the result expires
/// (`Timings.operationRetention` after it ended) or the JobManager restarts; the result never changes once
/// `finished`.
struct SavepointOperation: Sendable {
    /// What the job does once the savepoint is written.
    enum Kind: Sendable, Hashable {
        /// Keeps running.
        case savepoint
        /// Ends CANCELED (`cancel-job: true`).
        case savepointAndCancel
        /// Ends FINISHED (`POST /jobs/:id/stop`).
        case stop
    }

    let jobID: FlinkJobID
    let triggerID: FlinkTriggerID
    let kind: Kind
    let targetDirectory: String?
    let formatType: SavepointFormatType
    let triggeredAt: Int64
    /// The checkpoint id the savepoint took (savepoints consume ids of the job's counter); `nil` when it failed
    /// before one was taken.
    let checkpointID: Int64?
    /// When it completes, while in progress.
    var completesAt: Int64?
    /// The answer once ended.
    var result: SavepointStatus = .inProgress
    var finishedAt: Int64?

    /// Ends the operation with `result` at `time`.
    mutating func finish(_ result: SavepointStatus, at time: Int64) {
        guard finishedAt == nil else { return }
        self.result = result
        finishedAt = time
        completesAt = nil
    }
}

/// One savepoint disposal (`POST /savepoint-disposal`): it takes effect at once.
struct DisposalOperation: Sendable {
    let triggerID: FlinkTriggerID
    let path: String
    let status: SavepointDisposalStatus
    let finishedAt: Int64
}
