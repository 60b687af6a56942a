import Foundation

/// Where a (re)deployed job starts from — chosen by Flink's own ordering, never by comparing clocks.
///
/// Checkpoints and savepoints of a job share one id sequence, and a job restored from state continues that
/// sequence, so along a FlinkJob's state lineage (`stateLineageStart`) a higher id is newer state. The candidates:
///
/// | candidate | proven to exist? |
/// |---|---|
/// | a savepoint the operator recorded (`savepoints.last`, history) | yes: Flink never deletes savepoints |
/// | the newest checkpoint Flink reports for the current job while it still knows it (ended) | yes: retained on cancel and failure |
/// | the newest `chk-N` a listing of the checkpoint storage finds (`file://` under a state directory) | yes |
/// | the last checkpoint recorded in status | **no**: Flink deletes it when a newer one completes, and storage that cannot be listed (s3, hdfs) cannot say |
/// | the path the current job started from, `spec.initialSavepointPath` | yes (the oldest) |
///
/// The newest *proven* candidate is used when no unproven one is newer. When the newest known state cannot be
/// proven, the job is **held** (`NoRestorePoint`) rather than started from older state or from nothing; releasing
/// the hold starts from the newest proven candidate. A job that never had state starts empty; `upgradeMode:
/// Stateless` makes upgrades and resumes start empty.
enum RestorePointPolicy {
    /// What the next run starts from.
    enum Choice: Sendable, Hashable {
        case path(String)
        case empty
        /// The newest state cannot be proven; `fallback` is the newest proven path (nil: none).
        case hold(message: String, fallback: String?)
    }

    /// Why a run is started.
    enum Purpose: Sendable, Hashable {
        /// Flink lost the job (a JobManager restart without HA).
        case lost
        /// The job failed; recovery per `recovery.onFailure`.
        case recovery
        /// `spec.state` went back to Running.
        case resume
        /// A new spec after the old job was cancelled (Stateless / LastState).
        case upgradeAfterCancel
    }

    struct Candidate: Sendable, Hashable {
        var path: String
        /// Flink's checkpoint id; `Int64.min` for the oldest kinds (where the job started from).
        var id: Int64
        var proven: Bool
        var what: String

        /// Order by Flink's checkpoint id; on equal ids a savepoint is the newer (its id may be the lower bound
        /// recorded when Flink's statistics did not list it, and no checkpoint shares a savepoint's id), and a
        /// proven candidate beats the same id unproven.
        static func isOlder(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.id != b.id { return a.id < b.id }
            func rank(_ c: Candidate) -> Int { (c.what.hasPrefix("savepoint") ? 2 : 0) + (c.proven ? 1 : 0) }
            return rank(a) < rank(b)
        }
    }

    static func choose(_ purpose: Purpose, _ context: PlanContext, _ status: FlinkJobStatus) -> Choice {
        let stateless = context.spec.upgradeMode == .stateless
        if stateless, purpose == .resume || purpose == .upgradeAfterCancel { return .empty }
        let candidates = self.candidates(context, status)
        if purpose == .recovery, context.spec.recovery.onFailure == .fromLatestSavepoint,
            let savepoint = candidates.filter({ $0.what.hasPrefix("savepoint") }).max(by: Candidate.isOlder)
        {
            return .path(savepoint.path)
        }
        guard let newest = candidates.max(by: Candidate.isOlder) else {
            // Nothing usable is left: fine for a job that never had state, a hold for one that had.
            guard hadState(status), !stateless else { return .empty }
            return .hold(
                message: "the job had state, but none of it can be restored: Flink reported the recorded restore path "
                    + "missing and no other checkpoint or savepoint of the job is known. The job is not started empty "
                    + "on its own.",
                fallback: nil)
        }
        let best = candidates.filter(\.proven).max(by: Candidate.isOlder)
        if let best, !Candidate.isOlder(best, newest) { return .path(best.path) }
        if stateless { return best.map { .path($0.path) } ?? .empty }
        let fallback = best.map { " The newest state that can be proven is \($0.what) \($0.path)." } ?? ""
        return .hold(
            message: "the job's newest state, \(newest.what) \(newest.path), cannot be proven to still exist: Flink no "
                + "longer knows the job and the operator cannot list that storage (a newer checkpoint may have "
                + "replaced it).\(fallback) The job is not started from older state or empty on its own.",
            fallback: best?.path)
    }

    /// Every restore candidate of the current state lineage that belongs to the FlinkJob.
    static func candidates(_ context: PlanContext, _ status: FlinkJobStatus) -> [Candidate] {
        let ownership = StateOwnership(context, status: status)
        let lineageStart = status.stateLineageStart ?? 1
        let missing = status.failures?.lastMessage.flatMap(missingRestorePath)
        var result: [Candidate] = []
        func add(_ path: String?, id: Int64?, proven: Bool, what: String, jobID: String? = nil) {
            guard let path, ownership.mayRestore(path) else { return }
            if let missing, path == missing || path.hasSuffix(missing) || missing.hasSuffix(path) { return }
            if let sequence = ownership.sequence(ofJob: jobID ?? ownership.jobID(in: path)), sequence < lineageStart { return }
            result.append(Candidate(path: path, id: id ?? 0, proven: proven, what: what))
        }
        var savepoints = status.savepoints?.history ?? []
        if let last = status.savepoints?.last, !savepoints.contains(last) { savepoints.insert(last, at: 0) }
        for savepoint in savepoints {
            add(savepoint.location, id: savepoint.checkpointId, proven: true, what: "savepoint", jobID: savepoint.jobId)
        }
        let current = status.job?.id
        if let snapshot = context.observation.job, snapshot.id == current, snapshot.state.isGloballyTerminal {
            add(snapshot.lastCompletedCheckpoint?.path, id: snapshot.lastCompletedCheckpoint?.id, proven: true,
                what: "checkpoint", jobID: snapshot.id)
            add(snapshot.latestSavepoint?.path, id: snapshot.latestSavepoint?.id, proven: true, what: "savepoint", jobID: snapshot.id)
        }
        if let retained = context.observation.retainedCheckpoint {
            add(retained.path, id: retained.id, proven: true, what: "retained checkpoint")
        }
        // The recorded checkpoint, unproven — unless it is the proven point the current job started from and a
        // listing of that job's own checkpoints found none (it was lost before completing one).
        if let recorded = status.checkpoints?.lastCompleted,
            !(context.observation.ownCheckpointsListed && context.observation.retainedCheckpoint == nil
                && recorded.path == status.job?.restoredFrom),
            !result.contains(where: { $0.path == recorded.path && $0.proven })
        {
            add(recorded.path, id: recorded.id, proven: false, what: "checkpoint")
        }
        // Older than any checkpoint of the job that started from it.
        add(status.job?.restoredFrom, id: Int64.min + 1, proven: true, what: "the path the job started from")
        if status.deploySequence == nil {
            add(context.spec.initialSavepointPath, id: Int64.min, proven: true, what: "spec.initialSavepointPath")
        }
        return result
    }

    /// Whether the job's lineage ever had state: a recorded checkpoint or savepoint, or a start from one.
    static func hadState(_ status: FlinkJobStatus) -> Bool {
        status.checkpoints?.lastCompleted != nil || status.savepoints?.last != nil || status.job?.restoredFrom != nil
    }

    /// The path in Flink's "Cannot find checkpoint or savepoint file/directory '<path>'" message, if it is one.
    static func missingRestorePath(in message: String) -> String? {
        guard let range = message.range(of: "Cannot find checkpoint or savepoint file/directory '") else { return nil }
        let rest = message[range.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "file:/", with: "/", options: .anchored)
    }
}

extension StateOwnership {
    /// The 32-hex job id segment of a checkpoint path (`…/<job id>/chk-<n>`), if any.
    func jobID(in path: String) -> String? {
        let segments = path.split(separator: "/")
        guard let index = segments.lastIndex(where: { $0.hasPrefix("chk-") }), index > 0 else { return nil }
        return String(segments[index - 1])
    }

    /// The deploy sequence of one of the FlinkJob's job ids.
    func sequence(ofJob id: String?) -> Int64? {
        guard let id, highestSequence > 0 else { return nil }
        let lowest = max(1, highestSequence - Self.lookback)
        return (lowest...highestSequence).first { DeploymentIdentity.jobID(uid: uid, sequence: $0) == id }
    }
}
