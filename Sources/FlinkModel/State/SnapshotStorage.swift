import FlinkREST

/// A checkpoint or savepoint in the model's durable storage.
public struct StoredSnapshot: Sendable, Hashable {
    /// What kind of snapshot it is.
    public enum Kind: String, Sendable, Hashable {
        /// A retained checkpoint (`<dir>/<job id>/chk-<n>`).
        case checkpoint
        /// A savepoint (`<dir>/savepoint-<6 hex>-<12 hex>`).
        case savepoint
    }

    /// Its path in Flink's spelling (`file:/…`).
    public var path: String
    /// Checkpoint or savepoint.
    public var kind: Kind
    /// The checkpoint id it was taken with (a restore continues with the next id).
    public var checkpointID: Int64
    /// The job that wrote it; `nil` for snapshots a test put there.
    public var jobID: FlinkJobID?
    /// The vertex ids it holds state for; `nil` when unknown (restores into any program).
    public var vertexIDs: [String]?
    /// When it was written (model epoch ms).
    public var createdAt: Int64

    /// Creates a snapshot record.
    public init(
        path: String, kind: Kind, checkpointID: Int64, jobID: FlinkJobID? = nil, vertexIDs: [String]? = nil,
        createdAt: Int64 = 0
    ) {
        self.path = path
        self.kind = kind
        self.checkpointID = checkpointID
        self.jobID = jobID
        self.vertexIDs = vertexIDs
        self.createdAt = createdAt
    }
}

/// The checkpoint and savepoint storage (a shared file system): outlives JobManager restarts.
///
/// Paths are kept in Flink's spelling (`StoragePath.canonical`), so `file:///x` and `file:/x` are the same entry.
struct SnapshotStorage: Sendable {
    private var entries: [String: StoredSnapshot] = [:]

    /// The snapshot at `path` (any spelling), if it exists.
    func snapshot(at path: String) -> StoredSnapshot? {
        entries[StoragePath.canonical(path)]
    }

    /// Whether something exists at `path`.
    func contains(_ path: String) -> Bool {
        entries[StoragePath.canonical(path)] != nil
    }

    /// Stores `snapshot` (replacing what was at its path).
    mutating func store(_ snapshot: StoredSnapshot) {
        var snapshot = snapshot
        snapshot.path = StoragePath.canonical(snapshot.path)
        entries[snapshot.path] = snapshot
    }

    /// Deletes `path`; returns whether it existed.
    @discardableResult
    mutating func delete(_ path: String) -> Bool {
        entries.removeValue(forKey: StoragePath.canonical(path)) != nil
    }

    /// Every snapshot, sorted by path (a stable order, whatever the insertion history).
    var all: [StoredSnapshot] {
        entries.values.sorted { $0.path < $1.path }
    }
}
