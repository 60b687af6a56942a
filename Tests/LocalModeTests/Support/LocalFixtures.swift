import ControllerRuntime
import Foundation
import JSONCore
import Kubernetes
import LocalMode
import Logging
import Synchronization

/// A temporary directory with a manifest directory, an artifact directory and a state file path, removed at the end.
final class LocalSandbox: Sendable {
    let root: URL
    let manifests: URL
    let artifacts: URL
    let statePath: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("local-mode-\(UUID().uuidString.prefix(8))")
        manifests = root.appendingPathComponent("manifests")
        artifacts = root.appendingPathComponent("artifacts")
        statePath = root.appendingPathComponent("state.sqlite").path
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    }

    deinit {
        if ProcessInfo.processInfo.environment["FJC_E2E_KEEP"] != "1" {
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// Writes `text` to `manifests/name` (atomically: temporary file, then rename, like most editors).
    @discardableResult
    func writeManifest(_ name: String, _ text: String) throws -> String {
        let url = manifests.appendingPathComponent(name)
        try Data(text.utf8).write(to: url, options: .atomic)
        return url.path
    }

    func removeManifest(_ name: String) throws {
        try FileManager.default.removeItem(at: manifests.appendingPathComponent(name))
    }

    func loader() -> ManifestLoader {
        ManifestLoader(directories: [manifests.path], artifactDirectories: [artifacts.path])
    }

    func store() throws -> LocalStore {
        try LocalStore(database: try StateDatabase.open(path: statePath), historyLimit: 50, logger: Logger.quiet)
    }
}

extension Logger {
    /// A logger that drops everything.
    static let quiet = Logger(label: "local-mode-tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// Manifest text for tests.
enum Manifests {
    static func job(_ name: String, namespace: String? = nil, args: [String] = ["--rate", "5"], labels: [String: String] = [:], jar: String = "file:///opt/none/job.jar", extra: String = "") -> String {
        var text = """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkJob
            metadata:
              name: \(name)

            """
        if let namespace { text += "  namespace: \(namespace)\n" }
        if !labels.isEmpty {
            text += "  labels:\n" + labels.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
        }
        text += """
            spec:
              artifact:
                jar:
                  uri: \(jar)
                  entryClass: io.jobcontroller.testjobs.StreamingJob
              args: [\(args.map { "\"\($0)\"" }.joined(separator: ", "))]

            """
        return text + extra
    }

    static func cluster(_ name: String = "default", url: String = "http://127.0.0.1:1") -> String {
        """
        apiVersion: flink.jobcontroller.io/v1alpha1
        kind: FlinkSessionCluster
        metadata:
          name: \(name)
        spec:
          restURL: \(url)

        """
    }
}

extension LocalStore {
    /// The FlinkJob `default/name`.
    func job(_ name: String, namespace: String = "default") throws -> StoredObject {
        try get(StoredKey(kind: .flinkJob, namespace: namespace, name: name))
    }
}

/// Collects a watch stream's events until it has `count`, the stream ends, or `timeout` passes.
func collect(
    _ stream: AsyncThrowingStream<WatchEvent<RawObject>, any Error>, count: Int, timeout: Duration = .seconds(5)
) async throws -> [WatchEvent<RawObject>] {
    let events = EventBox()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for try await event in stream {
                if events.append(event) >= count { break }
            }
        }
        group.addTask { try await Task.sleep(for: timeout) }
        try await group.next()
        group.cancelAll()
    }
    return events.all
}

/// Watch events collected by a reading task.
final class EventBox: Sendable {
    private let events = Mutex<[WatchEvent<RawObject>]>([])

    /// Appends `event`; returns how many there are now.
    func append(_ event: WatchEvent<RawObject>) -> Int {
        events.withLock { events in
            events.append(event)
            return events.count
        }
    }

    var all: [WatchEvent<RawObject>] { events.withLock { $0 } }
}

extension WatchEvent where Object == RawObject {
    /// `ADDED default/x @7`, for readable expectations.
    var summary: String {
        switch self {
        case .added(let raw): "ADDED \(raw.metadata.name ?? "") @\(raw.metadata.resourceVersion ?? "")"
        case .modified(let raw): "MODIFIED \(raw.metadata.name ?? "") @\(raw.metadata.resourceVersion ?? "")"
        case .deleted(let raw): "DELETED \(raw.metadata.name ?? "") @\(raw.metadata.resourceVersion ?? "")"
        case .bookmark(let bookmark): "BOOKMARK @\(bookmark.resourceVersion)"
        case .error(let status): "ERROR \(status.code ?? 0)"
        }
    }
}
