import Foundation
import Kubernetes

/// Status is not trusted input: whoever may write `flinkjobs/status` must not be able to make the operator act on
/// another tenant's Flink job, state or program. Every identifier the operator derives deterministically is checked
/// against its derivation before anything is observed or planned from it; what fails is corrected or dropped, and
/// reported (`StatusInvalid`).
///
/// Checked:
/// - `job.id` must be `DeploymentIdentity.jobID(uid, deploySequence)` (batch: `runJobID(uid, deploySequence)`);
///   a different id is replaced by the derived one.
/// - batch `runs.active[].jobId` must be `runJobID(uid, run)`.
/// - `savepoints.pending` must carry the trigger id derived from its job, reason and start time.
/// - `stop.jobId` must be the current job's id.
/// - spec copies (`lastAppliedSpec`, `lastStableSpec`) must hash to their recorded hashes.
/// - `hold.token` must be the one derived from the hold (so a forged hold cannot pre-set its release).
///
/// Restore paths and savepoints to dispose of are checked where they are used (`StateOwnership`).
enum StatusValidation {
    /// `job` with its status corrected, and a sentence per correction (empty when nothing was wrong).
    static func validated(_ job: FlinkJob) -> (job: FlinkJob, findings: [String]) {
        guard var status = job.status else { return (job, []) }
        var findings: [String] = []
        let uid = job.metadata.uid ?? job.metadata.name ?? ""
        let batch = job.spec.type == .batch

        if let id = status.job?.id {
            if let sequence = status.deploySequence, sequence > 0 {
                let expected = batch
                    ? DeploymentIdentity.runJobID(uid: uid, run: sequence) : DeploymentIdentity.jobID(uid: uid, sequence: sequence)
                if id != expected {
                    findings.append("status.job.id \(id.prefix(32)) is not the id of deploy \(sequence); using \(expected)")
                    status.job?.id = expected
                }
            } else {
                findings.append("status.job.id \(id.prefix(32)) has no deploySequence it derives from; ignoring it")
                status.job = nil
            }
        }
        if let active = status.runs?.active {
            let kept = active.filter { $0.jobId == DeploymentIdentity.runJobID(uid: uid, run: $0.run) }
            if kept.count != active.count {
                findings.append("\(active.count - kept.count) active run(s) in status name job ids the operator did not derive; ignoring them")
                status.runs?.active = kept.isEmpty ? nil : kept
            }
        }
        if let pending = status.savepoints?.pending {
            let jobID = pending.jobId ?? status.job?.id ?? ""
            let expected = DeploymentIdentity.triggerID(
                jobID: jobID, reason: pending.reason, startedAtSeconds: pending.startedAt.secondsSince1970)
            if pending.triggerId != expected || (pending.jobId != nil && pending.jobId != status.job?.id) {
                findings.append("status.savepoints.pending is not a trigger the operator made for the current job; ignoring it")
                status.savepoints?.pending = nil
            }
        }
        if let stop = status.stop, stop.jobId != status.job?.id {
            findings.append("status.stop names job \(stop.jobId.prefix(32)), not the current job; ignoring it")
            status.stop = nil
        }
        if status.lastAppliedSpec != nil,
            DeploySpec.copy(status.lastAppliedSpec, matching: status.lastAppliedSpecHash) == nil
        {
            findings.append("status.lastAppliedSpec does not match lastAppliedSpecHash; dropping the copy")
            status.lastAppliedSpec = nil
        }
        if status.lastStableSpec != nil, DeploySpec.copy(status.lastStableSpec, matching: status.lastStableSpecHash) == nil {
            findings.append("status.lastStableSpec does not match lastStableSpecHash; dropping the copy")
            status.lastStableSpec = nil
        }
        if let hold = status.hold, hold.token != HoldToken.derive(uid: uid, reason: hold.reason, since: hold.since) {
            findings.append("status.hold was not written by the operator; ignoring it")
            status.hold = nil
        }
        var validated = job
        validated.status = status
        return (validated, findings)
    }
}

/// Which state belongs to a FlinkJob: what it may be restored from, and what the operator may dispose of.
///
/// A Flink job's checkpoints live under `<checkpoint dir>/<job id>/chk-<n>`, and Flink names savepoints
/// `savepoint-<first 6 hex of the job id>-<random>`; the job ids of a FlinkJob are derived from its UID. So a path
/// is the FlinkJob's own when it carries one of its job ids (and, for savepoints, lies under its savepoint
/// directory) — whatever status claims. `spec.initialSavepointPath` is the user's own choice and always allowed
/// as a restore path (never disposed of).
struct StateOwnership: Sendable {
    let uid: String
    let batch: Bool
    let highestSequence: Int64
    let savepointDirectory: String?
    let initialSavepointPath: String?

    init(_ context: PlanContext, status: FlinkJobStatus) {
        uid = context.uid
        batch = context.spec.type == .batch
        highestSequence = status.deploySequence ?? 0
        savepointDirectory = context.savepointDirectory
        initialSavepointPath = context.spec.initialSavepointPath
    }

    /// How many deploys back ownership is checked (each check derives one id).
    static let lookback: Int64 = 100

    /// The FlinkJob's Flink job ids, newest first.
    var jobIDs: [String] {
        guard highestSequence > 0 else { return [] }
        let lowest = max(1, highestSequence - Self.lookback)
        return (lowest...highestSequence).reversed().map { DeploymentIdentity.jobID(uid: uid, sequence: $0) }
    }

    /// Whether `path` may be restored from.
    func mayRestore(_ path: String) -> Bool {
        if path == initialSavepointPath { return true }
        return isOwnCheckpoint(path) || isOwnSavepoint(path)
    }

    /// Whether the operator may dispose of the savepoint at `path` (never the initial savepoint).
    func mayDispose(_ path: String) -> Bool {
        path != initialSavepointPath && isOwnSavepoint(path)
    }

    /// A checkpoint (`…/<job id>/chk-<n>`) of one of the FlinkJob's jobs.
    func isOwnCheckpoint(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        guard let index = segments.lastIndex(where: { $0.hasPrefix("chk-") }), index > 0 else { return false }
        let jobSegment = String(segments[index - 1])
        return jobIDs.contains(jobSegment)
    }

    /// A savepoint of one of the FlinkJob's jobs under its savepoint directory.
    func isOwnSavepoint(_ path: String) -> Bool {
        guard let directory = savepointDirectory, Self.path(path, isInside: directory) else { return false }
        guard let name = path.split(separator: "/").last, name.hasPrefix("savepoint-") else { return false }
        let prefix = name.dropFirst("savepoint-".count).prefix(6)
        return jobIDs.contains { $0.hasPrefix(prefix) }
    }

    /// Whether `path` lies inside `directory` (`file:/x`, `file:///x` and `/x` are the same place; a prefix must
    /// end at a `/`).
    static func path(_ path: String, isInside directory: String) -> Bool {
        let child = normalized(path)
        var parent = normalized(directory)
        if !parent.hasSuffix("/") { parent += "/" }
        return child.hasPrefix(parent) && !child.split(separator: "/").contains("..")
    }

    static func normalized(_ path: String) -> String {
        guard path.hasPrefix("file:") else { return path }
        var rest = path.dropFirst("file:".count)
        while rest.hasPrefix("//") { rest = rest.dropFirst() }
        return "file://" + rest
    }
}

/// The release token of a hold: derived from the FlinkJob and the hold, so only the operator's own holds have one
/// that matches.
enum HoldToken {
    static func derive(uid: String, reason: FlinkJobStatus.Hold.Reason, since: KubeTime) -> String {
        String(DeploymentIdentity.digest("\(uid)/hold/\(reason.rawValue)/\(since.secondsSince1970)").prefix(10))
    }
}
