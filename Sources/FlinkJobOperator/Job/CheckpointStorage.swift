import Foundation
import Kubernetes

/// Checkpoint storage the operator can look into, to prove that a lost job's newest checkpoint still exists
/// (Flink keeps only the newest one, so the one recorded in status may have been replaced since).
public protocol CheckpointStorage: Sendable {
    /// The newest retained checkpoint next to `recorded` (in the same job's checkpoint directory), or `nil` when
    /// this storage cannot be listed from here or holds none.
    func newestRetained(near recorded: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint)
        -> FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?

    /// The complete savepoints of Flink job `jobID` in `directory` (Flink names them `savepoint-<first six hex
    /// digits of the job id>-<random>`), newest first; empty when this storage cannot be listed from here.
    func savepoints(in directory: String, ofJob jobID: String) -> [String]

    /// Whether `directory` can be listed from here (a listing that finds nothing then proves there is nothing).
    func canList(_ directory: String) -> Bool
}

/// `file://` checkpoint storage under directories the operator shares with Flink (`state.directories`; local
/// mode shares everything). Anything else — s3://, hdfs://, a `file://` path outside those directories (in
/// Kubernetes the operator's pod rarely sees Flink's disks) — yields `nil`: it cannot be proven from here.
public struct LocalCheckpointStorage: CheckpointStorage {
    /// `file://` directories (or absolute paths) the operator sees as Flink does.
    public let directories: [String]

    public init(directories: [String]) {
        self.directories = directories.map { $0.hasPrefix("file:") ? $0 : "file://" + $0 }
    }

    public func newestRetained(near recorded: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint)
        -> FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?
    {
        guard let path = recorded.path, canList(path), let url = URL(string: path) else { return nil }
        let directory = url.deletingLastPathComponent()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let newest = entries.compactMap { name -> Int64? in
            guard name.hasPrefix("chk-"), let id = Int64(name.dropFirst(4)),
                FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).appendingPathComponent("_metadata").path)
            else { return nil }
            return id
        }.max()
        guard let newest else { return nil }
        let location = directory.appendingPathComponent("chk-\(newest)")
        let modified = (try? FileManager.default.attributesOfItem(atPath: location.path))?[.modificationDate] as? Date
        return .init(id: newest, time: modified.map(KubeTime.init), path: "file://" + location.path)
    }

    public func canList(_ directory: String) -> Bool {
        guard let url = URL(string: directory), url.scheme == "file" else { return false }
        return directories.contains { StateOwnership.path(directory, isInside: $0) }
    }

    public func savepoints(in directory: String, ofJob jobID: String) -> [String] {
        guard canList(directory), let url = URL(string: directory) else { return [] }
        let prefix = "savepoint-\(jobID.prefix(6))-"
        let manager = FileManager.default
        let found = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).compactMap { name -> (String, Date)? in
            let path = url.appendingPathComponent(name)
            guard name.hasPrefix(prefix), manager.fileExists(atPath: path.appendingPathComponent("_metadata").path) else { return nil }
            let modified = (try? manager.attributesOfItem(atPath: path.path))?[.modificationDate] as? Date ?? .distantPast
            return ("file://" + path.path, modified)
        }
        return found.sorted { $0.1 > $1.1 }.map(\.0)
    }
}
