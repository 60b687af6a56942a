import ControllerRuntime
import FlinkJobOperator
import Foundation
import JSONCore
import Kubernetes
import LocalMode
import Testing

@Suite("Local store: the ObjectAPI contract on SQLite")
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

    @Test func statusWritesChangeOnlyStatusAndConflictOnAStaleVersion() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let api = try LocalObjectAPI<FlinkJob>(store: store)
        var job = try await api.get(ObjectKey(namespace: "default", name: "a"))
        let before = job
        var deploying = FlinkJobStatus()
        deploying.observedGeneration = 1
        deploying.state = .deploying
        job.status = deploying
        job.spec.parallelism = 7
        job.metadata.labels = ["sneaky": "yes"]
        let written = try await api.replaceStatus(job)
        #expect(written.status?.state == .deploying)
        #expect(written.spec.parallelism == 1)
        #expect(written.metadata.labels == nil)
        #expect(written.metadata.generation == 1)
        #expect(written.metadata.resourceVersion != before.metadata.resourceVersion)

        // Unchanged status: no write, same version.
        let again = try await api.replaceStatus(written)
        #expect(again.metadata.resourceVersion == written.metadata.resourceVersion)

        // A stale version conflicts.
        var stale = before
        var running = FlinkJobStatus()
        running.state = .running
        stale.status = running
        await #expect { try await api.replaceStatus(stale) } throws: { BackendFailure.isConflict($0) }

        // The StatusWriter re-applies its change after the conflict.
        let writer = StatusWriter<FlinkJob>(api: api, logger: .quiet)
        var status = before.status ?? FlinkJobStatus()
        status.message = "hello"
        let result = try await writer.write(before, status: status)
        #expect(result.object.status?.message == "hello")
        #expect(result.object.status?.state == .deploying)

        // A manifest change keeps the status.
        try sandbox.writeManifest("a.yaml", Manifests.job("a", args: ["--rate", "2"]))
        try store.sync(sandbox.loader().load())
        let edited = try await api.get(ObjectKey(namespace: "default", name: "a"))
        #expect(edited.status?.message == "hello")
        #expect(edited.metadata.generation == 2)
    }

    @Test func mainPatchesIgnoreStatusAndAFailedTestRejectsTheWholePatch() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let api = try LocalObjectAPI<FlinkJob>(store: store)
        let key = ObjectKey(namespace: "default", name: "a")
        let patched = try await api.patch(key, .merge(["metadata": ["annotations": ["a": "1"]], "status": ["message": "x"]]))
        #expect(patched.metadata.annotations == ["a": "1"])
        #expect(patched.status == nil)

        let failing = JSONPatch([
            .test(path: JSONPointer(tokens: ["metadata", "resourceVersion"]), value: "999"),
            .add(path: JSONPointer(tokens: ["metadata", "finalizers"]), value: .array([.string("x")])),
        ])
        await #expect { try await api.patch(key, .json(failing)) } throws: { error in
            (error as? KubernetesError)?.isInvalid == true
        }
        #expect(try await api.get(key).metadata.finalizers == nil)
        await #expect(throws: (any Error).self) { try await api.patch(key, .apply(["spec": [:]])) }
        await #expect { try await api.get(ObjectKey(namespace: "default", name: "missing")) } throws: { BackendFailure.isNotFound($0) }
    }

    @Test func deletingAManifestOfAnObjectWithAFinalizerWaitsForTheFinalizerLikeKubernetes() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let api = try LocalObjectAPI<FlinkJob>(store: store)
        let key = ObjectKey(namespace: "default", name: "a")
        let finalizer = FlinkJob.finalizer

        // The finalizer helper adds its finalizer (JSON patch guarded by a test of the version).
        let fresh = try await api.get(key)
        _ = try await Finalizer.run(api: api, finalizer: finalizer, object: fresh) { _ in .awaitChange }
        let guarded = try await api.get(key)
        #expect(guarded.metadata.finalizers == [finalizer])
        // A stale copy cannot add it again.
        await #expect(throws: (any Error).self) {
            try await Finalizer.run(api: api, finalizer: "other/finalizer", object: fresh) { _ in .awaitChange }
        }

        let stream = try store.watch(.flinkJob, from: guarded.metadata.resourceVersion ?? "")
        try sandbox.removeManifest("a.yaml")
        let outcome = try store.sync(sandbox.loader().load())
        #expect(outcome.deleted == [StoredKey(kind: .flinkJob, namespace: "default", name: "a")])
        let deleting = try await api.get(key)
        #expect(deleting.metadata.deletionTimestamp != nil)
        #expect(deleting.metadata.generation == 2)
        await #expect(throws: (any Error).self) {
            try await api.patch(key, .merge(["metadata": ["finalizers": [.string(finalizer), "late/finalizer"]]]))
        }

        // Cleanup finished: the finalizer goes, and with it the object.
        var cleanups = 0
        _ = try await Finalizer.run(api: api, finalizer: finalizer, object: deleting, apply: { _ in .awaitChange }) { _ in
            cleanups += 1
            return .finished(.awaitChange)
        }
        #expect(cleanups == 1)
        await #expect { try await api.get(key) } throws: { BackendFailure.isNotFound($0) }
        let events = try await collect(stream, count: 2)
        #expect(events.map(\.summary) == ["MODIFIED a @3", "DELETED a @4"])
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

    @Test func labelSelectorsFilterListsAndWatches() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a", labels: ["tier": "gold"]) + "---\n" + Manifests.job("b", labels: ["tier": "free"]))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let api = try LocalObjectAPI<FlinkJob>(store: store)
        let gold = try await api.list(ListRequest(labelSelector: "tier in (gold,silver)"))
        #expect(gold.items.map { $0.metadata.name } == ["a"])
        #expect(try await api.list(ListRequest(labelSelector: "tier!=gold")).items.map { $0.metadata.name } == ["b"])
        #expect(try await api.list(ListRequest(labelSelector: "!tier")).items.isEmpty)
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
