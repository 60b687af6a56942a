@testable import ControllerRuntime
import JSONCore
import Kubernetes
import KubernetesEmulator
import Testing

@Suite(.serialized) struct FinalizerTests {
    private let ours = "flink.jobcontroller.io/finalizer"
    private let key = ObjectKey(namespace: "default", name: "a")

    /// Counts what the finalizer helper asked for.
    private final class Calls: Sendable {
        let applied = Shared(0)
        let cleaned = Shared(0)

        func handle(_ event: FinalizerEvent<Widget>) -> Action {
            switch event {
            case .apply: applied.increment()
            case .cleanup: cleaned.increment()
            }
            return .requeue(after: .seconds(60))
        }
    }

    private func finalizers(_ env: TestEnvironment) -> [String]? {
        env.emulator.object(Widget.resource, namespace: "default", name: "a")?[path: ["metadata", "finalizers"]]?
            .arrayValue?.compactMap(\.stringValue)
    }

    private func setFinalizers(_ env: TestEnvironment, _ names: [String]) throws {
        let response = env.emulator.perform(
            "PATCH", Widget.resource.path(namespace: "default", name: "a"),
            body: ["metadata": ["finalizers": .array(names.map(JSONValue.string))]],
            contentType: "application/merge-patch+json")
        guard response.status == 200 else { throw TestFailure("finalizer patch answered \(response.status)") }
    }

    @Test func aLiveObjectWithoutTheFinalizerGetsItAddedAndTheStoredObjectIsAppliedAtOnce() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let calls = Calls()
        let object = try await env.widgets.get(key)
        env.emulator.clearRequestLog()
        let action = try await Finalizer.run(api: env.widgets, finalizer: ours, object: object) { calls.handle($0) }
        #expect(action == .requeue(after: .seconds(60)))
        #expect(finalizers(env) == [ours])
        #expect(calls.applied.value == 1 && calls.cleaned.value == 0)
        // The add is a JSON patch guarded by a test, and nothing else is sent.
        #expect(env.emulator.requestLog.map(\.method) == ["PATCH"])
    }

    @Test func theFinalizerIsAppendedAfterOtherControllersFinalizers() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try setFinalizers(env, ["example.com/other"])
        let object = try await env.widgets.get(key)
        _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: object) { _ in .awaitChange }
        #expect(finalizers(env) == ["example.com/other", ours])
    }

    @Test func aLiveObjectWithTheFinalizerIsApplied() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try setFinalizers(env, [ours])
        let calls = Calls()
        let object = try await env.widgets.get(key)
        env.emulator.clearRequestLog()
        let action = try await Finalizer.run(api: env.widgets, finalizer: ours, object: object) { calls.handle($0) }
        #expect(action == .requeue(after: .seconds(60)))
        #expect(calls.applied.value == 1 && calls.cleaned.value == 0)
        #expect(env.emulator.requestLog.isEmpty)
    }

    @Test func aDeletedObjectIsCleanedUpAndOnlyOurFinalizerIsRemoved() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try setFinalizers(env, ["example.com/first", ours, "example.com/last"])
        try env.deleteWidget("a")
        let calls = Calls()
        let object = try await env.widgets.get(key)
        #expect(object.metadata.isDeleting)
        _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: object) { calls.handle($0) }
        #expect(calls.cleaned.value == 1 && calls.applied.value == 0)
        #expect(finalizers(env) == ["example.com/first", "example.com/last"])
    }

    @Test func aDeletedObjectWithoutOurFinalizerIsLeftAlone() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try setFinalizers(env, ["example.com/other"])
        try env.deleteWidget("a")
        let calls = Calls()
        let object = try await env.widgets.get(key)
        env.emulator.clearRequestLog()
        let action = try await Finalizer.run(api: env.widgets, finalizer: ours, object: object) { calls.handle($0) }
        #expect(action == .awaitChange)
        #expect(calls.applied.value == 0 && calls.cleaned.value == 0)
        #expect(env.emulator.requestLog.isEmpty)
        #expect(finalizers(env) == ["example.com/other"])
    }

    @Test func cleanupRunsEvenWhenApplyNeverRanAndTheObjectThenDisappears() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let calls = Calls()
        // The finalizer was added, but the process died before apply ran (the add and the apply are not atomic).
        try setFinalizers(env, [ours])
        // Deleted before any apply ran.
        try env.deleteWidget("a")
        _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: try await env.widgets.get(key)) {
            calls.handle($0)
        }
        #expect(calls.applied.value == 0)
        #expect(calls.cleaned.value == 1)
        #expect(env.emulator.object(Widget.resource, namespace: "default", name: "a") == nil)
    }

    @Test func aFailingCleanupKeepsTheFinalizerAndRethrowsTheReconcilersError() async throws {
        struct CannotStop: Error {}
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try setFinalizers(env, [ours])
        try env.deleteWidget("a")
        let object = try await env.widgets.get(key)
        await #expect(throws: CannotStop.self) {
            _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: object) { _ in throw CannotStop() }
        }
        #expect(finalizers(env) == [ours])
    }

    @Test func aStaleCacheCannotOverwriteAFinalizerAddedMeanwhile() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let stale = try await env.widgets.get(key)
        try setFinalizers(env, ["example.com/other"])
        await #expect {
            _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: stale) { _ in .awaitChange }
        } throws: { error in
            guard case ControllerRuntimeError.addFinalizer(_, _, let underlying) = error else { return false }
            return (underlying as? KubernetesError)?.isInvalid == true
        }
        #expect(finalizers(env) == ["example.com/other"])
    }

    @Test func aStaleIndexCannotRemoveSomeoneElsesFinalizer() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try setFinalizers(env, ["example.com/other", ours])
        try env.deleteWidget("a")
        let stale = try await env.widgets.get(key)
        // Another controller removes its own finalizer: ours moves from index 1 to 0.
        try setFinalizers(env, [ours])
        await #expect(throws: ControllerRuntimeError.self) {
            _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: stale) { _ in .awaitChange }
        }
        #expect(finalizers(env) == [ours])
        // The next reconcile, from the fresh object, succeeds.
        _ = try await Finalizer.run(api: env.widgets, finalizer: ours, object: try await env.widgets.get(key)) { _ in
            .awaitChange
        }
        #expect(env.emulator.object(Widget.resource, namespace: "default", name: "a") == nil)
    }
}
