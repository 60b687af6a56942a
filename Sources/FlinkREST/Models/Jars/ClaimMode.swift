/// Who owns the files of the savepoint or checkpoint a job is restored from (`claimMode` on run).
public enum ClaimMode: String, Codable, Hashable, Sendable {
    /// Flink never deletes the restored snapshot; the first checkpoint is a full one (Flink's default).
    case noClaim = "NO_CLAIM"
    /// Flink takes ownership and may delete the restored snapshot once subsumed.
    case claim = "CLAIM"
}
