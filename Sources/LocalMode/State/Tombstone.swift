import JSONCore
import Kubernetes

/// What local mode remembers of a deleted FlinkJob that had state: its uid and the state part of its last status,
/// so that a manifest that comes back under the same name (a branch switched back, a directory restored) continues
/// from the job's last savepoint instead of starting empty under a new identity.
///
/// The re-created object gets the old uid (its Flink job ids and savepoint paths stay its own) and starts
/// `Suspended` with its savepoint and checkpoint records, so the lifecycle resumes it from the newest restore point
/// like any resumed job. The annotation `flink.jobcontroller.io/fresh-start: "true"` on the manifest opts out.
public struct Tombstone: Sendable, Hashable {
    /// The manifest annotation that makes a re-created FlinkJob start empty despite its tombstone.
    public static let freshStartAnnotation = "flink.jobcontroller.io/fresh-start"
    /// How many tombstones the state file keeps (the newest).
    public static let limit = 1000
    /// The status fields a continued job keeps; everything else (conditions, generation, plans) starts afresh.
    static let keptStatusFields = [
        "deploySequence", "stateLineageStart", "savepoints", "checkpoints", "job", "lastAppliedSpecHash",
        "lastAppliedSpec", "lastStableSpecHash", "lastStableSpec", "parallelism",
    ]

    public var key: StoredKey
    public var uid: String
    /// The kept part of the last status (see `keptStatusFields`), with `phase: Suspended`.
    public var status: JSONValue
    public var deletedAt: KubeTime

    /// The tombstone of `object` as it is deleted, or `nil` when there is nothing to continue from (not a
    /// FlinkJob, or no savepoint or checkpoint was ever recorded).
    static func of(_ object: StoredObject, at time: KubeTime) -> Tombstone? {
        guard object.key.kind == .flinkJob, let status = object.status?.objectValue else { return nil }
        let hasState = status["savepoints"]?["last"]?.objectValue != nil
            || status["checkpoints"]?["lastCompleted"]?.objectValue != nil
        guard hasState else { return nil }
        var kept: [String: JSONValue] = [:]
        for field in keptStatusFields { kept[field] = status[field] }
        // The stopped job is not live any more; its pending operations died with the object.
        kept["savepoints"]?["pending"] = nil
        kept["phase"] = .string("Suspended")
        return Tombstone(key: object.key, uid: object.uid, status: .object(kept), deletedAt: time)
    }

    /// Whether a new object from a manifest with `annotations` continues from this tombstone.
    func continues(annotations: [String: String]) -> Bool {
        annotations[Self.freshStartAnnotation]?.lowercased() != "true"
    }
}
