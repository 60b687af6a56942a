import Foundation
import Kubernetes
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the store equal to the manifest directories: loads them, reports problems, syncs, and does it again
/// after every debounced batch of file changes (manifests or watched artifacts).
///
/// A `Service`: `run()` follows file changes until graceful shutdown. `reload` can be called directly (the
/// initial load before the controllers start, tests).
///
/// Deletions wait: an object that disappears from the manifests is deleted only if it is still missing
/// `deletionGrace` later, so an editor that deletes a file and writes it anew does not stop a job.
public final class ManifestWatcher: Service {
    private let loader: ManifestLoader
    private let store: LocalStore
    private let references: LocalReferenceLookup
    private let files: FileWatcher
    private let deletionGrace: Duration
    private let logger: Logger
    private let reported = Mutex<Set<ManifestProblem>>([])
    private let reloads = Atomic<Int>(0)

    /// A watcher keeping `store` equal to what `loader` reads, told of changes by `files`.
    public init(
        loader: ManifestLoader, store: LocalStore, references: LocalReferenceLookup, files: FileWatcher,
        deletionGrace: Duration = .seconds(1), logger: Logger
    ) {
        self.loader = loader
        self.store = store
        self.references = references
        self.files = files
        self.deletionGrace = deletionGrace
        self.logger = logger
    }

    /// How many times the manifests were loaded (tests, logs).
    public var reloadCount: Int { reloads.load(ordering: .relaxed) }

    /// Follows file changes until graceful shutdown or cancellation.
    public func run() async throws {
        files.start()
        await withGracefulShutdownHandler {
            for await batch in files.changes {
                logger.debug(
                    batch.isRescan ? "Rescanning manifests" : "Files changed; reloading manifests",
                    metadata: ["paths": "\(batch.paths.sorted().joined(separator: ","))"])
                do {
                    let outcome = try reload(deleteMissing: false)
                    if !outcome.missing.isEmpty {
                        try await Task.sleep(for: deletionGrace)
                        try reload(deleteMissing: true)
                    }
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("Cannot apply the manifests", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: { [files] in
            files.stop()
        }
        files.stop()
    }

    /// Loads the manifests, reports new problems, updates watches and references, and syncs the store.
    @discardableResult
    public func reload(deleteMissing: Bool = true) throws(LocalModeError) -> SyncOutcome {
        reloads.add(1, ordering: .relaxed)
        let snapshot = loader.load()
        references.update(from: snapshot)
        for (directory, code) in files.setWatches(
            manifestDirectories: loader.directories, artifacts: snapshot.artifactFiles)
        {
            logger.warning("Cannot watch a directory", metadata: ["directory": "\(directory)", "error": "\(String(cString: strerror(code)))"])
        }
        report(snapshot)
        let outcome = try store.sync(snapshot, deleteMissing: deleteMissing)
        if !outcome.isEmpty {
            logger.info(
                "Applied manifest changes",
                metadata: [
                    "created": "\(outcome.created.map(\.description))", "updated": "\(outcome.updated.map(\.description))",
                    "deleted": "\(outcome.deleted.map(\.description))",
                ])
        }
        if !outcome.missing.isEmpty {
            logger.info(
                "Objects no longer defined by any manifest; deleting them unless they come back",
                metadata: ["objects": "\(outcome.missing.map(\.description))", "grace": "\(deletionGrace)"])
        }
        return outcome
    }

    /// Logs and records each problem once (until it is fixed), and keeps the manifest file table current.
    private func report(_ snapshot: ManifestSnapshot) {
        let current = Set(snapshot.problems)
        let (new, fixed) = reported.withLock { reported -> (Set<ManifestProblem>, Set<ManifestProblem>) in
            defer { reported = current }
            return (current.subtracting(reported), reported.subtracting(current))
        }
        let existing = store.list(.flinkJob).objects + store.list(.flinkSessionCluster).objects
        for problem in new.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
            logger.error(
                "Manifest problem: \(problem)",
                metadata: ["file": "\(problem.file)", "line": "\(problem.line)", "problem": "\(problem.message)"])
            store.recordEvent(
                StoredEvent(
                    namespace: "default", name: "manifest.\(UUID().uuidString.prefix(8).lowercased())",
                    eventTime: MicroTime.now(), type: "Warning", reason: "InvalidManifest", action: "Load",
                    note: problem.description, regardingKind: "ManifestFile", regardingNamespace: nil,
                    regardingName: problem.file, reportingController: "flink.jobcontroller.io/local-mode"))
            // Objects the broken file defined keep running on their last valid version: say so on them.
            for object in existing where object.source == problem.file && snapshot.brokenFiles.contains(problem.file) {
                store.recordEvent(
                    about: object.key, type: "Warning", reason: "InvalidManifest", action: "Load",
                    note: "\(problem); keeping the last valid version of this \(object.key.kind.name)")
            }
        }
        for problem in fixed where !current.contains(where: { $0.file == problem.file }) {
            logger.info("Manifest file is valid again", metadata: ["file": "\(problem.file)"])
        }
        var files: [String: String?] = Dictionary(snapshot.files.map { ($0, nil) }, uniquingKeysWith: { first, _ in first })
        for problem in snapshot.problems {
            files[problem.file] = .some((files[problem.file] ?? nil).map { $0 + "; " } ?? "" + problem.description)
        }
        do {
            try store.database.setManifestFiles(files, at: KubeTime.now())
        } catch {
            logger.warning("Cannot record manifest files in the state database", metadata: ["error": "\(error)"])
        }
    }
}
