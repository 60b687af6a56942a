import ControllerRuntime
import FlinkJobOperator
import Foundation
import JSONCore
import Kubernetes
import Synchronization
import Testing

/// The `ObjectAPI` contract (see `ObjectAPI`'s documentation) checked on both backends the operator runs on: the
/// Kubernetes API (emulator) and local mode's store. Each test runs once per backend with the same expectations;
/// what only one backend does (manifest syncing, the SQLite file, kubectl) is tested in that backend's suites.
@Suite("ObjectAPI contract on both backends")
struct ObjectAPIContractTests {
    private static func key(_ name: String) -> ObjectKey { ObjectKey(namespace: "default", name: name) }

    private func with(_ kind: ContractBackendKind, _ body: (any ContractBackend) async throws -> Void) async throws {
        let backend = try await kind.start()
        do {
            try await body(backend)
        } catch {
            await backend.stop()
            throw error
        }
        await backend.stop()
    }

    @Test(arguments: ContractBackendKind.allCases)
    func everyWriteChangesTheVersionAndANoOpWriteKeepsIt(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a")
            let created = try await backend.api.get(Self.key("a"))
            #expect(created.metadata.generation == 1)
            #expect(created.metadata.uid?.isEmpty == false)
            let annotated = try await backend.api.patch(Self.key("a"), .merge(["metadata": ["annotations": ["team": "x"]]]))
            #expect(annotated.metadata.resourceVersion != created.metadata.resourceVersion)
            #expect(annotated.metadata.generation == 1)
            let again = try await backend.api.patch(Self.key("a"), .merge(["metadata": ["annotations": ["team": "x"]]]))
            #expect(again.metadata.resourceVersion == annotated.metadata.resourceVersion)
            try await backend.edit("a", args: ["--rate", "9"])
            let edited = try await backend.api.get(Self.key("a"))
            #expect(edited.metadata.generation == 2)
            #expect(edited.metadata.uid == created.metadata.uid)
            let listed = try await backend.api.list(ListRequest(namespace: "default"))
            #expect(listed.items.map { $0.metadata.name } == ["a"])
            #expect(listed.items.first?.metadata.resourceVersion == edited.metadata.resourceVersion)
            #expect(!listed.resourceVersion.isEmpty)
        }
    }

    @Test(arguments: ContractBackendKind.allCases)
    func statusWritesChangeOnlyStatusMainWritesNeverStatusAndStaleVersionsConflict(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a")
            var job = try await backend.api.get(Self.key("a"))
            let before = job
            var status = FlinkJobStatus()
            status.observedGeneration = 1
            status.state = .deploying
            job.status = status
            job.spec.parallelism = 7
            job.metadata.labels = ["sneaky": "yes"]
            let written = try await backend.api.replaceStatus(job)
            #expect(written.status?.state == .deploying)
            #expect(written.spec.parallelism == 1)
            #expect(written.metadata.labels?["sneaky"] == nil)
            #expect(written.metadata.generation == 1)
            #expect(written.metadata.resourceVersion != before.metadata.resourceVersion)

            let unchanged = try await backend.api.replaceStatus(written)
            #expect(unchanged.metadata.resourceVersion == written.metadata.resourceVersion)

            var stale = before
            stale.status = FlinkJobStatus()
            await #expect { try await backend.api.replaceStatus(stale) } throws: { BackendFailure.isConflict($0) }

            // The StatusWriter re-applies its change on the fresh object after such a conflict.
            let writer = StatusWriter<FlinkJob>(api: backend.api, logger: .quiet)
            var fromStale = before.status ?? FlinkJobStatus()
            fromStale.message = "from a stale copy"
            let rewritten = try await writer.write(before, status: fromStale)
            #expect(rewritten.object.status?.message == "from a stale copy" && rewritten.object.status?.state == .deploying)

            let patched = try await backend.api.patchStatus(Self.key("a"), .merge(["status": ["message": "hello"]]))
            #expect(patched.status?.message == "hello" && patched.status?.state == .deploying)
            let main = try await backend.api.patch(Self.key("a"), .merge(["metadata": ["annotations": ["a": "1"]],
                                                                         "status": ["message": "ignored"]]))
            #expect(main.metadata.annotations?["a"] == "1")
            #expect(main.status?.message == "hello")

            // A user's spec edit keeps the status.
            try await backend.edit("a", args: ["--rate", "2"])
            #expect(try await backend.api.get(Self.key("a")).status?.message == "hello")
        }
    }

    @Test(arguments: ContractBackendKind.allCases)
    func aFailedJSONPatchTestRejectsTheWholePatchAndMissingObjectsAreNotFound(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a")
            let failing = JSONPatch([
                .test(path: JSONPointer(tokens: ["metadata", "resourceVersion"]), value: "999999"),
                .add(path: JSONPointer(tokens: ["metadata", "finalizers"]), value: .array([.string("x/y")])),
            ])
            await #expect { try await backend.api.patch(Self.key("a"), .json(failing)) } throws: { error in
                (error as? KubernetesError)?.isInvalid == true
            }
            #expect(try await backend.api.get(Self.key("a")).metadata.finalizers == nil)
            await #expect { try await backend.api.get(Self.key("missing")) } throws: { BackendFailure.isNotFound($0) }
            await #expect { try await backend.api.patch(Self.key("missing"), .merge(["metadata": ["labels": ["a": "b"]]])) } throws: {
                BackendFailure.isNotFound($0)
            }
        }
    }

    @Test(arguments: ContractBackendKind.allCases)
    func aWatchDeliversEveryChangeStrictlyAfterItsVersionInOrderAndResumesWithoutRepeats(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a")
            let start = try #require(try await backend.api.get(Self.key("a")).metadata.resourceVersion)
            try await backend.create("b")
            try await backend.edit("a", args: ["--rate", "1"])
            try await backend.delete("b")
            let first = try await changes(backend.api, from: start, count: 3)
            #expect(first.map(\.text) == ["ADDED b", "MODIFIED a", "DELETED b"])

            // Resuming from the last version seen delivers only what came after it.
            let resumeFrom = try #require(first.dropLast().last?.resourceVersion)
            try await backend.create("c")
            let resumed = try await changes(backend.api, from: resumeFrom, count: 2)
            #expect(resumed.map(\.text) == ["DELETED b", "ADDED c"])

            // A watch is per namespace when asked.
            let elsewhere = try await changes(backend.api, from: start, namespace: "elsewhere", count: 1, timeout: .milliseconds(500))
            #expect(elsewhere.isEmpty)
        }
    }

    @Test(arguments: ContractBackendKind.allCases)
    func aWatchFromAVersionOlderThanTheHistoryFailsWithGoneAndARelistRecovers(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a")
            let old = try #require(try await backend.api.get(Self.key("a")).metadata.resourceVersion)
            for round in 1...3 { try await backend.edit("a", args: ["--round", "\(round)"]) }
            try await backend.compact()
            await #expect {
                _ = try await changes(backend.api, from: old, count: 1)
            } throws: { BackendFailure.isGone($0) }
            let relisted = try await backend.api.list(ListRequest())
            try await backend.edit("a", args: ["--round", "4"])
            let live = try await changes(backend.api, from: relisted.resourceVersion, count: 1)
            #expect(live.map(\.text) == ["MODIFIED a"])
        }
    }

    @Test(arguments: ContractBackendKind.allCases)
    func deletionWaitsForFinalizersRefusesNewOnesAndEndsWithDeleted(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a")
            let fresh = try await backend.api.get(Self.key("a"))
            _ = try await Finalizer.run(api: backend.api, finalizer: FlinkJob.finalizer, object: fresh) { _ in .awaitChange }
            let guarded = try await backend.api.get(Self.key("a"))
            #expect(guarded.metadata.finalizers == [FlinkJob.finalizer])
            // A stale copy cannot add another finalizer (the patch is guarded by the version).
            await #expect(throws: (any Error).self) {
                try await Finalizer.run(api: backend.api, finalizer: "other/finalizer", object: fresh) { _ in .awaitChange }
            }

            let from = try #require(guarded.metadata.resourceVersion)
            try await backend.delete("a")
            let deleting = try await backend.api.get(Self.key("a"))
            #expect(deleting.metadata.deletionTimestamp != nil)
            #expect(deleting.metadata.generation == 2)
            await #expect(throws: (any Error).self) {
                try await backend.api.patch(Self.key("a"), .merge(["metadata": ["finalizers": [.string(FlinkJob.finalizer), "late/finalizer"]]]))
            }

            var cleanups = 0
            _ = try await Finalizer.run(api: backend.api, finalizer: FlinkJob.finalizer, object: deleting, apply: { _ in .awaitChange }) { _ in
                cleanups += 1
                return .finished(.awaitChange)
            }
            #expect(cleanups == 1)
            await #expect { try await backend.api.get(Self.key("a")) } throws: { BackendFailure.isNotFound($0) }
            // The DELETE shows as MODIFIED (deletionTimestamp set); removing the last finalizer deletes at once.
            let events = try await changes(backend.api, from: from, count: 2)
            #expect(events.map(\.text) == ["MODIFIED a", "DELETED a"])
        }
    }

    @Test(arguments: ContractBackendKind.allCases)
    func labelSelectorsFilterListsAndWatches(_ kind: ContractBackendKind) async throws {
        try await with(kind) { backend in
            try await backend.create("a", labels: ["tier": "gold"])
            let start = try #require(try await backend.api.get(Self.key("a")).metadata.resourceVersion)
            try await backend.create("b", labels: ["tier": "free"])
            try await backend.create("c", labels: ["tier": "gold"])
            let gold = try await backend.api.list(ListRequest(labelSelector: "tier in (gold,silver)"))
            #expect(gold.items.map { $0.metadata.name } == ["a", "c"])
            #expect(try await backend.api.list(ListRequest(labelSelector: "tier!=gold")).items.map { $0.metadata.name } == ["b"])
            #expect(try await backend.api.list(ListRequest(labelSelector: "!tier")).items.isEmpty)
            let watched = try await changes(backend.api, from: start, labelSelector: "tier=gold", count: 1)
            #expect(watched.map(\.text) == ["ADDED c"])
        }
    }
}

/// A watch event reduced to what both backends agree on (versions are opaque and differ between them).
struct Change: Sendable {
    var text: String
    var resourceVersion: String?
}

/// The first `count` non-bookmark events of a watch from `version` (fewer when `timeout` passes first); an in-band
/// error event is thrown as the `KubernetesError` it carries, as the runtime treats both alike.
func changes(
    _ api: AnyObjectAPI<FlinkJob>, from version: String, namespace: String? = nil, labelSelector: String? = nil,
    count: Int, timeout: Duration = .seconds(5)
) async throws -> [Change] {
    let stream = try await api.watch(WatchRequest(namespace: namespace, labelSelector: labelSelector, resourceVersion: version))
    let box = ChangeBox()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for try await event in stream {
                switch event {
                case .added(let o): box.append(Change(text: "ADDED \(o.metadata.name ?? "")", resourceVersion: o.metadata.resourceVersion))
                case .modified(let o): box.append(Change(text: "MODIFIED \(o.metadata.name ?? "")", resourceVersion: o.metadata.resourceVersion))
                case .deleted(let o): box.append(Change(text: "DELETED \(o.metadata.name ?? "")", resourceVersion: o.metadata.resourceVersion))
                case .bookmark: continue
                case .error(let status):
                    if status.code == 410 { throw KubernetesError.gone(status) }
                    throw KubernetesError.api(KubernetesAPIError(status: status, statusCode: Int(status.code ?? 500), method: "GET", path: "watch"))
                }
                if box.count >= count { break }
            }
        }
        group.addTask { try await Task.sleep(for: timeout) }
        try await group.next()
        group.cancelAll()
    }
    return box.all
}

/// Collects changes across tasks.
final class ChangeBox: Sendable {
    private let changes = Mutex<[Change]>([])
    func append(_ change: Change) { changes.withLock { $0.append(change) } }
    var count: Int { changes.withLock { $0.count } }
    var all: [Change] { changes.withLock { $0 } }
}
