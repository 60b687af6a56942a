import Foundation

/// Deterministic identifiers the operator derives so that retries after a crash address the same Flink objects.
///
/// A Flink job id is 32 hex digits; Flink refuses to run a second job with an id it has seen (even a finished one),
/// which turns a repeated submission into a harmless `duplicateJob` answer.
public enum DeploymentIdentity {
    /// The Flink job id of deploy number `sequence` of the FlinkJob with `uid`.
    public static func jobID(uid: String, sequence: Int64) -> String {
        digest("\(uid)/deploy/\(sequence)")
    }

    /// The Flink job id of batch run number `run` of the FlinkJob with `uid`.
    public static func runJobID(uid: String, run: Int64) -> String {
        digest("\(uid)/run/\(run)")
    }

    /// The savepoint trigger id for a savepoint of `jobID` started at `startedAtSeconds` for `reason`; written to
    /// status before the trigger is sent, so a repeated trigger after a crash is recognised by Flink.
    public static func triggerID(jobID: String, reason: FlinkJobStatus.SavepointReason, startedAtSeconds: Int64) -> String {
        digest("\(jobID)/savepoint/\(reason.rawValue)/\(startedAtSeconds)")
    }

    static func digest(_ text: String) -> String {
        String(Digests.sha256(Array(text.utf8)).hexString.prefix(32))
    }
}
