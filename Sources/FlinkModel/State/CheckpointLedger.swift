import FlinkREST

/// One job's checkpoint bookkeeping: the id counter, counts, the latest snapshots, and which stored checkpoint the
/// job still owns.
///
/// Pure: it decides which paths to write and delete; `ModelState` applies that to storage. Guarantees: ids only
/// grow, also across restarts of the job, and start after the id of the snapshot the job was submitted from (as
/// Flink's checkpoint id counter does); at most one checkpoint of the job is retained (`state.checkpoints.num-retained:
/// 1`): completing one returns the previous for deletion.
struct CheckpointLedger: Sendable {
    /// The id the next checkpoint or savepoint takes.
    private(set) var nextID: Int64 = 1
    var completed = 0
    var failed = 0
    var restored = 0
    var latestCompleted: CheckpointStatistics.Completed?
    var latestSavepoint: CheckpointStatistics.Completed?
    var latestFailed: CheckpointStatistics.Failed?
    var latestRestored: CheckpointStatistics.Restored?
    /// The job's newest retained checkpoint in storage (subsumed by the next one).
    private(set) var retainedPath: String?
    /// A snapshot restored under `CLAIM`: the job owns it and deletes it once a newer checkpoint exists.
    private(set) var claimedPath: String?
    /// The snapshot the job was submitted from (restored again on failover while the job has no checkpoint).
    private(set) var initialRestore: StoredSnapshot?
    /// When the periodic checkpoint scheduler fires next; `nil` while tasks do not all run.
    var nextTriggerAt: Int64?
    /// Checkpoints still to fail on purpose.
    var failuresToInject = 0

    /// A ledger for a job submitted from `restore` (`nil`: a fresh job), owning it when `claim`.
    init(restore: StoredSnapshot? = nil, claim: Bool = false) {
        if let restore {
            nextID = restore.checkpointID + 1
            initialRestore = restore
            if claim { claimedPath = restore.path }
        }
    }

    /// Takes the next checkpoint id.
    mutating func reserveID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }

    /// Records the restore at submission (once the JobMaster started).
    mutating func recordInitialRestore(at time: Int64) {
        guard let restore = initialRestore else { return }
        restored += 1
        // Flink reports a submission restore as a savepoint, also when the path was a retained checkpoint.
        latestRestored = .init(id: restore.checkpointID, restoreTimestamp: time, isSavepoint: true, externalPath: restore.path)
    }

    /// Records an internal restore (failover, rescale) from the latest checkpoint, or the submission snapshot
    /// while there is none; nothing when the job has no state to restore.
    mutating func recordInternalRestore(at time: Int64) {
        if let checkpoint = latestCompleted {
            restored += 1
            latestRestored = .init(
                id: checkpoint.id, restoreTimestamp: time, isSavepoint: false, externalPath: checkpoint.externalPath)
        } else if let restore = initialRestore {
            restored += 1
            latestRestored = .init(
                id: restore.checkpointID, restoreTimestamp: time, isSavepoint: restore.kind == .savepoint,
                externalPath: restore.path)
        }
    }

    /// Records a completed checkpoint stored at `path`; returns the paths it subsumes (to delete).
    mutating func checkpointCompleted(id: Int64, at time: Int64, path: String) -> [String] {
        completed += 1
        latestCompleted = .init(
            id: id, status: "COMPLETED", isSavepoint: false, triggerTimestamp: time, latestAckTimestamp: time,
            checkpointType: "CHECKPOINT", externalPath: path, discarded: false)
        let subsumed = [retainedPath, claimedPath].compactMap { $0 }
        retainedPath = path
        claimedPath = nil
        return subsumed
    }

    /// Records a failed checkpoint or savepoint.
    mutating func snapshotFailed(id: Int64, triggeredAt: Int64, at time: Int64, isSavepoint: Bool, message: String) {
        failed += 1
        latestFailed = .init(
            id: id, isSavepoint: isSavepoint, triggerTimestamp: triggeredAt, failureTimestamp: time,
            failureMessage: message)
    }

    /// Records a completed savepoint (never subsumed, never deleted by the job).
    mutating func savepointCompleted(id: Int64, triggeredAt: Int64, at time: Int64, path: String, type: String) {
        completed += 1
        latestSavepoint = .init(
            id: id, status: "COMPLETED", isSavepoint: true, triggerTimestamp: triggeredAt, latestAckTimestamp: time,
            checkpointType: type, externalPath: path, discarded: false)
    }

    /// The paths the job deletes when it ends in `ending` under `retention`, and forgets them.
    mutating func pathsDiscarded(on ending: JobSettings.JobEnding, retention: JobSettings.Retention) -> [String] {
        guard retention.discards(ending) else { return [] }
        defer {
            retainedPath = nil
            claimedPath = nil
        }
        return [retainedPath, claimedPath].compactMap { $0 }
    }

    /// The statistics Flink reports, with `inProgress` savepoints pending.
    func statistics(inProgress: Int) -> CheckpointStatistics {
        CheckpointStatistics(
            counts: .init(
                restored: restored, total: completed + failed + inProgress, inProgress: inProgress,
                completed: completed, failed: failed),
            latest: .init(
                completed: latestCompleted, savepoint: latestSavepoint, failed: latestFailed, restored: latestRestored))
    }
}
