import ControllerRuntime
import FlinkJobOperator
import Foundation
import JSONCore
import Kubernetes
import LocalMode
import Testing

/// What only local mode's store does (manifest syncing, the SQLite file, its own watch API); the ObjectAPI
/// contract it shares with the Kubernetes backend is `ObjectAPIContractTests`.
@Suite("Local store: manifests, SQLite state and its watch")
struct LocalStoreTests {
    @Test func newObjectsGetAUidGenerationOneAndOneIncreasingVersionEach() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("jobs.yaml", Manifests.job("a") + "---\n" + Manifests.job("b", namespace: "team-x"))
        try sandbox.writeManifest("cluster.yaml", Manifests.cluster())
        let store = try sandbox.store()
        let outcome = try store.sync(sandbox.loader().load())
        #expect(outcome.created.count == 3)
        let a = try store.job("a")
        let b = try store.job("b", namespace: "team-x")
        let cluster = try store.get(StoredKey(kind: .flinkSessionCluster, namespace: nil, name: "default"))
        #expect(a.generation == 1 && b.generation == 1 && cluster.generation == 1)
        #expect(Set([a.uid, b.uid, cluster.uid]).count == 3)
        #expect(Set([a.resourceVersion, b.resourceVersion, cluster.resourceVersion]) == [1, 2, 3])
        #expect(store.resourceVersion == 3)
        #expect(cluster.key.namespace == nil)
        let listing = store.list(.flinkJob)
        #expect(listing.objects.map(\.key.name) == ["a", "b"])
        #expect(listing.resourceVersion == 3)
    }

    @Test func specChangeBumpsGenerationLabelChangeDoesNotAndAnUnchangedManifestWritesNothing() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("job.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let created = try store.job("a")

        #expect(try store.sync(sandbox.loader().load()).isEmpty)
        #expect(try store.job("a").resourceVersion == created.resourceVersion)

        try sandbox.writeManifest("job.yaml", Manifests.job("a", labels: ["team": "x"]))
        try store.sync(sandbox.loader().load())
        let relabelled = try store.job("a")
        #expect(relabelled.generation == 1)
        #expect(relabelled.labels == ["team": "x"])
        #expect(relabelled.resourceVersion > created.resourceVersion)

        try sandbox.writeManifest("job.yaml", Manifests.job("a", args: ["--rate", "9"], labels: ["team": "x"]))
        try store.sync(sandbox.loader().load())
        let edited = try store.job("a")
        #expect(edited.generation == 2)
        #expect(edited.uid == created.uid)
        #expect(try edited.decode(as: FlinkJob.self).spec.args == ["--rate", "9"])
    }

    @Test func stateSurvivesReopeningTheDatabaseWithTheSameUidAndVersions() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("job.yaml", Manifests.job("a"))
        let uid: String
        do {
            let store = try sandbox.store()
            try store.sync(sandbox.loader().load())
            uid = try store.job("a").uid
            store.close()
            store.database.close()
        }
        let reopened = try sandbox.store()
        #expect(try reopened.job("a").uid == uid)
        #expect(reopened.resourceVersion == 1)
        #expect(try reopened.sync(sandbox.loader().load()).isEmpty)
    }

    @Test func watchDeliversEveryChangeStrictlyAfterItsVersionInOrderThenLiveOnes() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())  // v1: ADDED a
        try sandbox.writeManifest("b.yaml", Manifests.job("b"))
        try store.sync(sandbox.loader().load())  // v2: ADDED b
        try sandbox.writeManifest("a.yaml", Manifests.job("a", args: ["--rate", "1"]))
        try store.sync(sandbox.loader().load())  // v3: MODIFIED a

        let stream = try store.watch(.flinkJob, from: "1")
        try sandbox.removeManifest("b.yaml")
        try store.sync(sandbox.loader().load())  // v4: DELETED b (no finalizers)
        let events = try await collect(stream, count: 3)
        #expect(events.map(\.summary) == ["ADDED b @2", "MODIFIED a @3", "DELETED b @4"])

        let fromZero = try await collect(try store.watch(.flinkJob, from: "0"), count: 1)
        #expect(fromZero.map(\.summary) == ["ADDED a @3"])
        let otherNamespace = try await collect(try store.watch(.flinkJob, namespace: "elsewhere", from: "1"), count: 1, timeout: .milliseconds(300))
        #expect(otherNamespace.isEmpty)
    }

    @Test func watchFromAVersionOlderThanTheHistoryThrowsGone() throws {
        let sandbox = try LocalSandbox()
        let store = try sandbox.store()
        for round in 1...3 {
            try sandbox.writeManifest("a.yaml", Manifests.job("a", args: ["--round", "\(round)"]))
            try store.sync(sandbox.loader().load())
        }
        _ = try store.watch(.flinkJob, from: "1")
        try store.compactHistory(keepingLast: 1)
        #expect(throws: KubernetesError.self) { _ = try store.watch(.flinkJob, from: "1") }
        do {
            _ = try store.watch(.flinkJob, from: "1")
        } catch {
            #expect(BackendFailure.isGone(error))
        }
        // The newest version is still a valid start.
        _ = try store.watch(.flinkJob, from: "2")
        #expect(throws: (any Error).self) { _ = try store.watch(.flinkJob, from: "not-a-version") }
    }

    @Test func aWatchWithATimeoutEndsWithABookmarkAtTheCurrentVersion() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let stream = try store.watch(.flinkSessionCluster, from: "1", timeout: .milliseconds(200))
        let events = try await collect(stream, count: 5, timeout: .seconds(5))
        #expect(events.map(\.summary) == ["BOOKMARK @1"])
    }

    @Test func applyPatchesAreRefusedLocally() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let api = try LocalObjectAPI<FlinkJob>(store: store)
        await #expect(throws: (any Error).self) { try await api.patch(ObjectKey(namespace: "default", name: "a"), .apply(["spec": [:]])) }
    }

    @Test func anObjectWhoseManifestReturnsWhileItIsDeletedIsCreatedAgainWithANewUid() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let api = try LocalObjectAPI<FlinkJob>(store: store)
        let key = ObjectKey(namespace: "default", name: "a")
        _ = try await Finalizer.run(api: api, finalizer: FlinkJob.finalizer, object: try await api.get(key)) { _ in .awaitChange }
        let original = try await api.get(key)
        try sandbox.removeManifest("a.yaml")
        try store.sync(sandbox.loader().load())
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        try store.sync(sandbox.loader().load())
        #expect(try await api.get(key).metadata.deletionTimestamp != nil)

        _ = try await Finalizer.run(api: api, finalizer: FlinkJob.finalizer, object: try await api.get(key), apply: { _ in .awaitChange }) { _ in
            .finished(.awaitChange)
        }
        let recreated = try await api.get(key)
        #expect(recreated.metadata.uid != original.metadata.uid)
        #expect(recreated.metadata.generation == 1)
        #expect(recreated.metadata.deletionTimestamp == nil)
        #expect(recreated.status == nil)
    }

    @Test func labelSelectorQueriesFollowTheKubernetesSyntax() {
        #expect(LabelSelectorQuery("a=b,c notin (x),d")?.matches(["a": "b", "d": ""]) == true)
        #expect(LabelSelectorQuery("a=b,c notin (x),d")?.matches(["a": "b", "c": "x", "d": ""]) == false)
    }

    @Test func eventsAreWrittenToTheLogAndSeriesUpdatesCount() async throws {
        let sandbox = try LocalSandbox()
        let store = try sandbox.store()
        let sink = LocalEventSink(database: store.database)
        let event = Event(
            metadata: ObjectMeta(name: "a.1", namespace: "default"), eventTime: MicroTime.now(), action: "Deploy",
            reason: "Deploying", regarding: ObjectReference(kind: "FlinkJob", namespace: "default", name: "a"),
            note: "submitting", type: "Normal")
        let stored = try await sink.create(event)
        await #expect { try await sink.create(event) } throws: { BackendFailure.isAlreadyExists($0) }
        let updated = try await sink.updateSeries(of: stored, to: EventSeries(count: 3, lastObservedTime: MicroTime.now()))
        #expect(updated.series?.count == 3)
        let events = try store.database.events(kind: "FlinkJob", namespace: "default", name: "a")
        #expect(events.map(\.reason) == ["Deploying"])
        #expect(events.first?.count == 3)
        var missing = event
        missing.metadata.name = "gone"
        await #expect { try await sink.updateSeries(of: missing, to: EventSeries(count: 2, lastObservedTime: MicroTime.now())) } throws: {
            BackendFailure.isNotFound($0)
        }
    }

    @Test func aSecondInstanceCannotTakeTheStateLockAndIsToldWhoHoldsIt() throws {
        let sandbox = try LocalSandbox()
        let first = try StateLock(statePath: sandbox.statePath)
        #expect(StateLock.holder(statePath: sandbox.statePath)?.contains("pid \(getpid())") == true)
        #expect {
            _ = try StateLock(statePath: sandbox.statePath)
        } throws: { error in
            guard case LocalModeError.stateLocked(_, let holder) = error else { return false }
            return holder.contains("pid \(getpid())") && "\(error)".contains("already running on the state file")
        }
        first.release()
        #expect(StateLock.holder(statePath: sandbox.statePath) == nil)
        _ = try StateLock(statePath: sandbox.statePath)
    }
}
