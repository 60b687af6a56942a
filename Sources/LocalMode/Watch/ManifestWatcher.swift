import FlinkJobOperator
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
/// Deletions wait (`DeletionGuard`): an object that disappears from the manifests is deleted only if it is still
/// missing `grace` later, so an editor that deletes a file and writes it anew does not stop a job; when many
/// objects go missing at once (an emptied directory, a `git checkout` of another branch) they wait the much longer
/// `massGrace`, with an error in the log and a `DeletionDeferred` warning event on each.
public final class ManifestWatcher: Service {
    private let loader: ManifestLoader
    private let store: LocalStore
    private let references: LocalReferenceLookup
    private let files: FileWatcher
    private let deletions: Mutex<DeletionGuard>
    private let logger: Logger
    private let reported = Mutex<Set<ManifestProblem>>([])
    private let reloads = Atomic<Int>(0)

    /// A watcher keeping `store` equal to what `loader` reads, told of changes by `files`.
    public init(
        loader: ManifestLoader, store: LocalStore, references: LocalReferenceLookup, files: FileWatcher,
        deletion: DeletionGuard.Settings = .init(), logger: Logger
    ) {
        self.loader = loader
        self.store = store
        self.references = references
        self.files = files
        self.deletions = Mutex(DeletionGuard(settings: deletion))
        self.logger = logger
    }

    /// How many times the manifests were loaded (tests, logs).
    public var reloadCount: Int { reloads.load(ordering: .relaxed) }

    /// Follows file changes until graceful shutdown or cancellation. The first look happens at once, so objects
    /// whose manifests vanished while the operator was down go through the same guard.
    public func run() async throws {
        files.start()
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let changes = files.changes
        let logger = logger
        let forwarder = Task {
            for await batch in changes {
                logger.debug(
                    batch.isRescan ? "Rescanning manifests" : "Files changed; reloading manifests",
                    metadata: ["paths": "\(batch.paths.sorted().joined(separator: ","))"])
                wake.yield()
            }
            wake.finish()
        }
        await withGracefulShutdownHandler {
            var timer: Task<Void, Never>?
            wake.yield()
            for await _ in wakeups {
                if Task.isCancelled { break }
                do {
                    let next = try apply(now: .now)
                    timer?.cancel()
                    timer = next.map { deadline in
                        Task {
                            try? await Task.sleep(until: deadline, clock: .continuous)
                            if !Task.isCancelled { wake.yield() }
                        }
                    }
                } catch {
                    logger.error("Cannot apply the manifests", metadata: ["error": "\(error)"])
                }
            }
            timer?.cancel()
        } onGracefulShutdown: { [files] in
            files.stop()
        }
        forwarder.cancel()
        files.stop()
    }

    /// Loads the manifests and applies them; deletes the missing objects `DeletionGuard` says are due. Returns
    /// when to look again for the ones that wait.
    @discardableResult
    public func apply(now: ContinuousClock.Instant) throws(LocalModeError) -> ContinuousClock.Instant? {
        let outcome = try reload(deleteMissing: false)
        let total = store.list(.flinkJob).objects.count + store.list(.flinkSessionCluster).objects.count
        let decision = deletions.withLock { $0.decide(missing: outcome.missing, total: total, now: now) }
        if decision.massStarted {
            let grace = deletions.withLock { $0.settings.massGrace }
            logger.error(
                "Many objects vanished from the manifests at once; deferring their deletion in case they come back",
                metadata: [
                    "objects": "\(decision.waiting.sorted().map(\.description))", "count": "\(decision.waiting.count)",
                    "grace": "\(GoDuration.format(grace))",
                ])
            for key in decision.waiting.sorted() {
                store.recordEvent(
                    about: key, type: "Warning", reason: "DeletionDeferred", action: "Delete",
                    note: "\(decision.waiting.count) objects vanished from the manifests at once; this \(key.kind.name) is deleted "
                        + "(its job stopped) only if its manifest is still missing after \(GoDuration.format(grace))")
            }
        } else if !decision.waiting.isEmpty, !decision.mass {
            logger.info(
                "Objects no longer defined by any manifest; deleting them unless they come back",
                metadata: ["objects": "\(decision.waiting.sorted().map(\.description))"])
        }
        if !decision.delete.isEmpty {
            try reload(deleting: decision.delete)
        }
        return decision.nextCheck
    }

    /// Loads the manifests, reports new problems, updates watches and references, and syncs the store.
    @discardableResult
    public func reload(deleteMissing: Bool = true) throws(LocalModeError) -> SyncOutcome {
        try reload(deleting: deleteMissing ? nil : [])
    }

    /// Loads the manifests and syncs the store, deleting only the missing objects in `deleting` (all when `nil`).
    @discardableResult
    public func reload(deleting: Set<StoredKey>?) throws(LocalModeError) -> SyncOutcome {
        reloads.add(1, ordering: .relaxed)
        let snapshot = loader.load()
        references.update(from: snapshot)
        for (directory, code) in files.setWatches(
            manifestDirectories: loader.directories, artifacts: snapshot.artifactFiles)
        {
            logger.warning("Cannot watch a directory", metadata: ["directory": "\(directory)", "error": "\(String(cString: strerror(code)))"])
        }
        report(snapshot)
        let outcome = try store.sync(snapshot, deleting: deleting)
        if !outcome.isEmpty {
            logger.info(
                "Applied manifest changes",
                metadata: [
                    "created": "\(outcome.created.map(\.description))", "updated": "\(outcome.updated.map(\.description))",
                    "deleted": "\(outcome.deleted.map(\.description))",
                ])
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
