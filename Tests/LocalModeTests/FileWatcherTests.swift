import Foundation
@testable import LocalMode
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("File watching: inotify, debounce, renames and deletes")
struct FileWatcherTests {
    @Test func anEditorsBurstOfWriteRenameAndChmodIsOneBatch() async throws {
        let sandbox = try LocalSandbox()
        // A quiet period far longer than the burst's pauses, so a busy machine cannot split the burst.
        let watcher = try FileWatcher(debounce: .seconds(1))
        watcher.setWatches(manifestDirectories: [sandbox.manifests.path], artifacts: [:])
        let recorder = BatchRecorder(watcher)
        watcher.start()
        defer { watcher.stop() }
        // What an editor does on save: write a temporary file, rename it over the original, fix its mode.
        let temporary = sandbox.manifests.appendingPathComponent(".job.yaml.tmp")
        let target = sandbox.manifests.appendingPathComponent("job.yaml")
        for round in 1...3 {
            try Data("round: \(round)\n".utf8).write(to: temporary)
            try FileManager.default.moveItem(at: temporary, to: target.deletingLastPathComponent().appendingPathComponent("job-\(round).yaml"))
            chmod(target.deletingLastPathComponent().appendingPathComponent("job-\(round).yaml").path, 0o600)
            // A blocking pause: with every suite running at once the cooperative pool can resume a sleeping task
            // more than the quiet period late, which split the burst; the editor's burst itself is what is timed.
            usleep(40_000)
        }
        let batches = try await recorder.next(for: .seconds(4))
        #expect(batches.count == 1)
        #expect(batches.first?.paths == Set((1...3).map { sandbox.manifests.appendingPathComponent("job-\($0).yaml").path }))
    }

    @Test func deletesRenamesAndReferencedArtifactsAreChangesButOtherFilesAreNot() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", "x: 1\n")
        try Data("jar".utf8).write(to: sandbox.artifacts.appendingPathComponent("job.jar"))
        let watcher = try FileWatcher(debounce: .milliseconds(150))
        watcher.setWatches(manifestDirectories: [sandbox.manifests.path], artifacts: [sandbox.artifacts.path: ["job.jar"]])
        #expect(watcher.watchedDirectories == [sandbox.artifacts.path, sandbox.manifests.path].sorted())
        let recorder = BatchRecorder(watcher)
        watcher.start()
        defer { watcher.stop() }

        try Data("other".utf8).write(to: sandbox.artifacts.appendingPathComponent("unrelated.jar"))
        try Data("notes".utf8).write(to: sandbox.manifests.appendingPathComponent("notes.txt"))
        #expect(try await recorder.next(for: .milliseconds(800)).isEmpty)

        try FileManager.default.moveItem(at: sandbox.manifests.appendingPathComponent("a.yaml"), to: sandbox.manifests.appendingPathComponent("b.yaml"))
        let renamed = try await recorder.next(for: .seconds(1))
        #expect(renamed.flatMap(\.paths).sorted() == ["a.yaml", "b.yaml"].map { sandbox.manifests.appendingPathComponent($0).path })

        try sandbox.removeManifest("b.yaml")
        #expect(try await recorder.next(for: .seconds(1)).flatMap(\.paths) == [sandbox.manifests.appendingPathComponent("b.yaml").path])

        // A jar replaced the safe way: copied in under another name, renamed into place.
        let staging = sandbox.artifacts.appendingPathComponent("job.jar.part")
        try Data("jar v2".utf8).write(to: staging)
        _ = rename(staging.path, sandbox.artifacts.appendingPathComponent("job.jar").path)
        #expect(try await recorder.next(for: .seconds(1)).flatMap(\.paths) == [sandbox.artifacts.appendingPathComponent("job.jar").path])
    }

    @Test func theWatcherReloadsTheStoreAfterChanges() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        let watcher = ManifestWatcher(
            loader: sandbox.loader(), store: store, references: LocalReferenceLookup(),
            files: try FileWatcher(debounce: .milliseconds(100)), deletion: .init(grace: .milliseconds(200)), logger: .quiet)
        try watcher.reload()
        let service = Task { try await watcher.run() }
        defer { service.cancel() }
        try await Task.sleep(for: .milliseconds(100))
        try sandbox.writeManifest("a.yaml", Manifests.job("a", args: ["--rate", "3"]))
        try await waitUntil("generation 2") { (try? store.job("a").generation) == 2 }
        try sandbox.writeManifest("bad.yaml", "kind: FlinkJob\n  oops: [\n")
        try await waitUntil("problem recorded") { (try? store.database.manifestFiles().contains { $0.problem != nil }) == true }
        let problem = try #require(try store.database.manifestFiles().compactMap(\.problem).first)
        #expect(problem.hasPrefix(sandbox.manifests.appendingPathComponent("bad.yaml").path + ":2:"))
        let events = try store.database.events(kind: "ManifestFile", name: sandbox.manifests.appendingPathComponent("bad.yaml").path)
        #expect(events.map(\.reason) == ["InvalidManifest"])
        // Half-saved: the job keeps its last valid version, and says why on itself.
        try sandbox.writeManifest("a.yaml", "kind: FlinkJob\nmetadata: [\n")
        try await waitUntil("a's problem recorded") {
            (try? store.database.events(kind: "FlinkJob", namespace: "default", name: "a").isEmpty) == false
        }
        #expect(try store.job("a").generation == 2)
        try sandbox.removeManifest("a.yaml")
        try await waitUntil("a deleted") { (try? store.job("a")) == nil }
        // The event is recorded just after the deletion is visible.
        try await waitUntil("ManifestRemoved recorded") {
            (try? store.database.events(kind: "FlinkJob", namespace: "default", name: "a").map(\.reason)) == ["InvalidManifest", "ManifestRemoved"]
        }
    }

    @Test func theDebounceStateMachineFiresOnceAfterTheQuietPeriodOrAtTheLatestAfterMaxDelay() {
        let start = ContinuousClock.now
        var machine = DebounceStateMachine(quiet: .milliseconds(300), maxDelay: .seconds(1))
        #expect(machine.deadline == nil)
        machine.eventArrived(at: start)
        machine.eventArrived(at: start + .milliseconds(100))
        #expect(machine.deadline == start + .milliseconds(400))
        do { let fired = machine.fire(at: start + .milliseconds(350)); #expect(!fired) }
        do { let fired = machine.fire(at: start + .milliseconds(400)); #expect(fired) }
        do { let fired = machine.fire(at: start + .milliseconds(900)); #expect(!fired, "fires once per burst") }
        // Events every 100 ms never leave 300 ms of quiet: the burst fires 1 s after its first event.
        for step in stride(from: 1000, through: 1900, by: 100) {
            machine.eventArrived(at: start + .milliseconds(step))
            do { let fired = machine.fire(at: start + .milliseconds(step)); #expect(!fired) }
        }
        do { let fired = machine.fire(at: start + .milliseconds(2000)); #expect(fired) }
    }

}

/// Everything a `FileWatcher` reported, read by the test as it goes (an AsyncStream has one consumer for life).
final class BatchRecorder: Sendable {
    private final class Batches: Sendable {
        let list = Mutex<[FileWatcher.Batch]>([])
    }

    private let batches = Batches()
    private let consumer: Task<Void, Never>

    init(_ watcher: FileWatcher) {
        let batches = batches
        consumer = Task {
            for await batch in watcher.changes { batches.list.withLock { $0.append(batch) } }
        }
    }

    deinit { consumer.cancel() }

    /// The batches reported within `duration` from now (and not taken before).
    func next(for duration: Duration) async throws -> [FileWatcher.Batch] {
        try await Task.sleep(for: duration)
        return batches.list.withLock { taken in
            defer { taken.removeAll() }
            return taken
        }
    }
}

/// Polls `condition` for up to ten seconds.
func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}
