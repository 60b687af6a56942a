import Foundation
import JSONCore
import Kubernetes
import Testing

@testable import LocalMode

/// Local mode's guard against mass deletions, and FlinkJobs that come back under the same name.
@Suite struct DeletionGuardTests {
    static func key(_ name: String) -> StoredKey { StoredKey(kind: .flinkJob, namespace: "default", name: name) }

    @Test func aSingleMissingObjectWaitsTheGraceAndOneThatComesBackIsNotDeleted() {
        var guardian = DeletionGuard(settings: .init(grace: .seconds(2), massThreshold: 3, massGrace: .seconds(600)))
        let start = ContinuousClock.now
        var decision = guardian.decide(missing: [Self.key("a")], total: 5, now: start)
        #expect(decision.delete.isEmpty && decision.waiting == [Self.key("a")] && !decision.mass)
        #expect(decision.nextCheck == start + .seconds(2))
        // It came back within the grace: forgotten; missing again later, the clock starts again.
        decision = guardian.decide(missing: [], total: 5, now: start + .seconds(1))
        #expect(decision.waiting.isEmpty && decision.nextCheck == nil)
        decision = guardian.decide(missing: [Self.key("a")], total: 5, now: start + .seconds(2))
        #expect(decision.delete.isEmpty)
        decision = guardian.decide(missing: [Self.key("a")], total: 5, now: start + .seconds(4))
        #expect(decision.delete == [Self.key("a")])
    }

    @Test(arguments: [
        // (missing, total, mass)
        (1, 5, false), (2, 5, false), (3, 5, true), (2, 2, true), (1, 1, false), (10, 40, true),
    ])
    func manyAtOnceOrAllOfThemIsAMassDeletion(missing: Int, total: Int, mass: Bool) {
        var guardian = DeletionGuard(settings: .init(grace: .seconds(2), massThreshold: 3, massGrace: .seconds(600)))
        let start = ContinuousClock.now
        let keys = (0..<missing).map { Self.key("job-\($0)") }
        let first = guardian.decide(missing: keys, total: total, now: start)
        #expect(first.mass == mass)
        #expect(first.massStarted == mass, "said once, when it starts")
        let later = guardian.decide(missing: keys, total: total, now: start + .seconds(3))
        #expect(!later.massStarted)
        #expect(later.delete.isEmpty == mass, "a mass deletion waits the long grace")
        if mass {
            #expect(later.nextCheck == start + .seconds(600))
            #expect(guardian.decide(missing: keys, total: total, now: start + .seconds(600)).delete == Set(keys))
        }
    }

    @Test func anEmptiedDirectoryThatIsRestoredStopsNothing() throws {
        let sandbox = try LocalSandbox()
        for name in ["a", "b", "c"] { try sandbox.writeManifest("\(name).yaml", Manifests.job(name)) }
        let store = try sandbox.store()
        let watcher = ManifestWatcher(
            loader: sandbox.loader(), store: store, references: LocalReferenceLookup(),
            files: try FileWatcher(debounce: .milliseconds(100)),
            deletion: .init(grace: .zero, massThreshold: 3, massGrace: .seconds(600)), logger: .quiet)
        let start = ContinuousClock.now
        try watcher.apply(now: start)
        let uids = try ["a", "b", "c"].map { try store.job($0).uid }
        // `git checkout` of a branch without the manifests: everything vanishes.
        for name in ["a", "b", "c"] { try sandbox.removeManifest("\(name).yaml") }
        let next = try watcher.apply(now: start + .seconds(1))
        #expect(next == start + .seconds(601))
        #expect(try ["a", "b", "c"].map { try store.job($0).deletionTimestamp } == [nil, nil, nil])
        let deferred = try store.database.events(kind: "FlinkJob", namespace: "default", name: "a")
        #expect(deferred.map(\.reason) == ["DeletionDeferred"])
        #expect(deferred.first?.note.contains("still missing after 10m") == true, "\(deferred)")
        // ... and back: same objects, same uids.
        for name in ["a", "b", "c"] { try sandbox.writeManifest("\(name).yaml", Manifests.job(name)) }
        #expect(try watcher.apply(now: start + .seconds(2)) == nil)
        #expect(try ["a", "b", "c"].map { try store.job($0).uid } == uids)
        // Removing one on purpose deletes it after the (here zero) grace.
        try sandbox.removeManifest("c.yaml")
        try watcher.apply(now: start + .seconds(3))
        #expect(throws: (any Error).self) { try store.job("c") }
    }

    @Test func aDeletedJobWithStateThatComesBackContinuesFromItsSavepointUnderItsUID() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        try sandbox.writeManifest("fresh.yaml", Manifests.job("fresh"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        var records: [String: (uid: String, status: JSONValue)] = [:]
        for name in ["a", "fresh"] {
            let job = try store.job(name)
            let status: JSONValue = [
                "phase": "Pending", "deploySequence": 3, "observedGeneration": 1,
                "conditions": [["type": "Ready", "status": "False"]],
                "savepoints": ["last": ["path": .string("file:///sp/\(name)/savepoint-abc123-1"), "reason": "Delete"]],
            ]
            _ = try store.replaceStatus(job.key, resourceVersion: String(job.resourceVersion), status: status)
            records[name] = (job.uid, status)
        }
        try sandbox.removeManifest("a.yaml")
        try sandbox.removeManifest("fresh.yaml")
        #expect(try store.sync(sandbox.loader().load()).deleted.count == 2)
        #expect(throws: (any Error).self) { try store.job("a") }

        // Reopened from the file (the tombstones are durable), the manifests come back.
        let reopened = try LocalStore(database: store.database, logger: .quiet)
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        try sandbox.writeManifest("fresh.yaml", Manifests.job("fresh", extra: ""))
        try sandbox.writeManifest("fresh.yaml", """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkJob
            metadata:
              name: fresh
              annotations: {flink.jobcontroller.io/fresh-start: "true"}
            spec:
              artifact: {jar: {uri: "file:///opt/none/job.jar", entryClass: io.jobcontroller.testjobs.StreamingJob}}

            """)
        try reopened.sync(sandbox.loader().load())
        let continued = try reopened.job("a")
        #expect(continued.uid == records["a"]?.uid)
        #expect(continued.generation == 1)
        #expect(continued.status?["phase"]?.stringValue == "Suspended")
        #expect(continued.status?["deploySequence"]?.integerValue == 3)
        #expect(continued.status?[path: ["savepoints", "last", "path"]]?.stringValue == "file:///sp/a/savepoint-abc123-1")
        #expect(continued.status?["conditions"] == nil && continued.status?["observedGeneration"] == nil)
        let fresh = try reopened.job("fresh")
        #expect(fresh.uid != records["fresh"]?.uid)
        #expect(fresh.status == nil)
        // A tombstone is used once.
        try sandbox.removeManifest("a.yaml")
        try reopened.sync(sandbox.loader().load())
        #expect(try reopened.database.loadTombstones().map(\.key.name) == ["a"], "buried again with its newest status")
    }
}
