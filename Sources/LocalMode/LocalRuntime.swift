import FlinkJobOperator
import Foundation
import Logging

/// How local mode runs: where manifests and state are, and how eagerly it reacts to file changes.
public struct LocalModeSettings: Sendable {
    /// Directories of FlinkJob / FlinkSessionCluster manifests (each must exist).
    public var manifestDirectories: [String]
    /// The state database file (`<file>.lock` next to it is the leader lock).
    public var statePath: String
    /// The operator's artifact directories (`file://` artifacts; their files' digests are tracked).
    public var artifactDirectories: [String]
    /// Quiet time that ends a burst of file events.
    public var debounce: Duration
    /// How long an object missing from the manifests may come back before it is deleted, and the longer wait
    /// when many vanish at once (`DeletionGuard`).
    public var deletion: DeletionGuard.Settings
    /// A full rescan when nothing happened for this long (safety net for missed events).
    public var rescanInterval: Duration
    /// How many versions of change history watches can resume from.
    public var historyLimit: Int

    /// Settings with the given directories and files and default timings.
    public init(
        manifestDirectories: [String], statePath: String, artifactDirectories: [String],
        debounce: Duration = .milliseconds(300), deletion: DeletionGuard.Settings = .init(),
        rescanInterval: Duration = .seconds(30), historyLimit: Int = 1000
    ) {
        self.manifestDirectories = manifestDirectories
        self.statePath = statePath
        self.artifactDirectories = artifactDirectories
        self.debounce = debounce
        self.deletion = deletion
        self.rescanInterval = rescanInterval
        self.historyLimit = historyLimit
    }
}

/// Local mode assembled: the state lock and database, the store, the manifest watcher, and the
/// `OperatorBackend` the unchanged `FlinkOperator` runs on.
public final class LocalRuntime: Sendable {
    /// The local API server.
    public let store: LocalStore
    /// What `FlinkOperator` is built on.
    public let backend: OperatorBackend
    /// The `Service` that follows manifest and artifact changes.
    public let watcher: ManifestWatcher
    /// The leader lock (held until `close` or the end of the process).
    public let lock: StateLock

    /// Takes the state lock, opens the database and loads the manifests once (objects are created and updated
    /// before any controller runs; missing ones are deleted by the watcher, through its guard).
    ///
    /// - Throws: `LocalModeError.manifestDirectory` for a missing directory, `.stateLocked` when another instance
    ///   runs on the same state file, `.stateDatabase` / `.fileWatch` when those cannot be set up.
    public static func start(_ settings: LocalModeSettings, logger: Logger) throws(LocalModeError) -> LocalRuntime {
        for directory in settings.manifestDirectories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .manifestDirectory(path: directory, reason: "no such directory")
            }
        }
        let lock = try StateLock(statePath: settings.statePath)
        let database = try StateDatabase.open(path: settings.statePath)
        let store = try LocalStore(database: database, historyLimit: settings.historyLimit, logger: logger)
        let references = LocalReferenceLookup()
        let files = try FileWatcher(debounce: settings.debounce, rescanInterval: settings.rescanInterval)
        let watcher = ManifestWatcher(
            loader: ManifestLoader(directories: settings.manifestDirectories, artifactDirectories: settings.artifactDirectories),
            store: store, references: references, files: files, deletion: settings.deletion, logger: logger)
        // Creations and updates now; deletions go through the watcher's guard once it runs.
        try watcher.reload(deleteMissing: false)
        let backend = OperatorBackend(
            flinkJobs: try LocalObjectAPI<FlinkJob>(store: store),
            sessionClusters: try LocalObjectAPI<FlinkSessionCluster>(store: store), secrets: nil, namespaces: nil,
            events: LocalEventSink(database: database), references: references)
        return LocalRuntime(store: store, backend: backend, watcher: watcher, lock: lock)
    }

    private init(store: LocalStore, backend: OperatorBackend, watcher: ManifestWatcher, lock: StateLock) {
        self.store = store
        self.backend = backend
        self.watcher = watcher
        self.lock = lock
    }

    /// Ends the watches, closes the database and releases the lock (after the services ended).
    public func close() {
        store.close()
        store.database.close()
        lock.release()
    }
}
