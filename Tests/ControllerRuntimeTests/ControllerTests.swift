@testable import ControllerRuntime
import Kubernetes
import Logging
import MetricsTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// A reconciler whose behaviour each test scripts, recording every call.
private final class ScriptedReconciler: Reconciler {
    typealias Object = Widget

    struct Call: Sendable {
        var key: ObjectKey
        var size: Int
        var retries: Int
        var id: String
    }

    let calls = Mutex<[Call]>([])
    let inFlight = Mutex<Set<ObjectKey>>([])
    let overlaps = Atomic<Int>(0)
    let behaviour: @Sendable (Widget, Int) async throws -> Action

    init(_ behaviour: @escaping @Sendable (Widget, Int) async throws -> Action) {
        self.behaviour = behaviour
    }

    func reconcile(_ object: Widget, context: ReconcileContext) async throws -> Action {
        let key = context.key
        let attempt = calls.withLock { calls -> Int in
            calls.append(Call(key: key, size: object.spec.size, retries: context.retries, id: context.id))
            return calls.filter { $0.key == key }.count
        }
        if !inFlight.withLock({ $0.insert(key).inserted }) { overlaps.add(1, ordering: .relaxed) }
        defer { inFlight.withLock { _ = $0.remove(key) } }
        context.logger.info("reconciling")
        return try await behaviour(object, attempt)
    }

    func callCount(_ name: String) -> Int {
        calls.withLock { $0.filter { $0.key.name == name }.count }
    }
}

private struct Boom: Error {}

private func widget(_ name: String, size: Int = 1, version: Int = 1, namespace: String = "default") -> Widget {
    Widget(
        metadata: ObjectMeta(name: name, namespace: namespace, resourceVersion: String(version)),
        spec: Widget.Spec(size: size))
}

private func syncedStore(_ widgets: [Widget]) -> Store<Widget> {
    let store = Store<Widget>()
    store.replace(widgets)
    return store
}

@Suite struct ControllerTests {
    private let fastRetries = RateLimiter<ObjectKey>.Configuration(baseDelay: .milliseconds(10), jitter: 0)

    /// Runs `controller` in a child task for the duration of `body`, then cancels it.
    private func running<R: Reconciler>(
        _ controller: Controller<R>, _ body: () async throws -> Void
    ) async rethrows {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await controller.run() }
            try await body()
            group.cancelAll()
        }
    }

    @Test func reconcilesEveryCachedObjectAndCountsSuccessWithAllResultLabelsPrecreated() async throws {
        let metrics = TestMetrics()
        let reconciler = ScriptedReconciler { _, _ in .awaitChange }
        let controller = Controller(
            name: "widgets", reconciler: reconciler, store: syncedStore([widget("a"), widget("b"), widget("c")]),
            logger: quietLogger, metricsFactory: metrics)
        for result in Controller<ScriptedReconciler>.Result.allCases {
            let counter = try metrics.expectCounter(
                "controller_runtime_reconcile_total", [("controller", "widgets"), ("result", result.rawValue)])
            #expect(counter.totalValue == 0)
        }
        await running(controller) {
            #expect(await eventually { reconciler.calls.withLock { $0.count } == 3 })
            try? await Task.sleep(for: .milliseconds(100))
        }
        #expect(reconciler.calls.withLock { $0.count } == 3)
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_total", dimensions: [("controller", "widgets"), ("result", "success")]) == 3)
    }

    @Test func requeueAfterReconcilesAgainWithoutAChange() async {
        let metrics = TestMetrics()
        let reconciler = ScriptedReconciler { _, _ in .requeue(after: .milliseconds(30)) }
        let controller = Controller(
            name: "requeue", reconciler: reconciler, store: syncedStore([widget("a")]), logger: quietLogger,
            metricsFactory: metrics)
        await running(controller) {
            #expect(await eventually { reconciler.callCount("a") >= 3 })
        }
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_total", dimensions: [("controller", "requeue"), ("result", "requeue_after")]) >= 3)
    }

    @Test func failuresAreRetriedWithGrowingBackoffUntilTheReconcileSucceeds() async {
        let metrics = TestMetrics()
        let reconciler = ScriptedReconciler { _, attempt in
            if attempt <= 3 { throw Boom() }
            return .awaitChange
        }
        let controller = Controller(
            name: "retry", reconciler: reconciler, store: syncedStore([widget("a")]),
            configuration: ControllerConfiguration(rateLimiter: fastRetries), logger: quietLogger,
            metricsFactory: metrics)
        await running(controller) {
            #expect(await eventually { reconciler.callCount("a") == 4 })
            try? await Task.sleep(for: .milliseconds(100))
        }
        let calls = reconciler.calls.withLock { $0 }
        #expect(calls.map(\.retries) == [0, 1, 2, 3])
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_total", dimensions: [("controller", "retry"), ("result", "error")]) == 3)
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_errors_total", dimensions: [("controller", "retry")]) == 3)
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_total", dimensions: [("controller", "retry"), ("result", "success")]) == 1)
        // Success forgets the backoff.
        #expect(controller.queue.numRequeues(ObjectKey(namespace: "default", name: "a")) == 0)
    }

    @Test func aTerminalErrorIsCountedButNeverRetried() async {
        let metrics = TestMetrics()
        let reconciler = ScriptedReconciler { _, _ in throw TerminalError("the spec is invalid") }
        let controller = Controller(
            name: "terminal", reconciler: reconciler, store: syncedStore([widget("a")]),
            configuration: ControllerConfiguration(rateLimiter: fastRetries), logger: quietLogger,
            metricsFactory: metrics)
        await running(controller) {
            #expect(await eventually { reconciler.callCount("a") == 1 })
            try? await Task.sleep(for: .milliseconds(300))
        }
        #expect(reconciler.callCount("a") == 1)
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_total", dimensions: [("controller", "terminal"), ("result", "terminal_error")]) == 1)
        #expect(metrics.counterTotal(label: "controller_runtime_reconcile_errors_total", dimensions: [("controller", "terminal")]) == 1)
    }

    @Test func anErrorPolicyOfAwaitChangeStopsRetrying() async {
        final class GiveUp: Reconciler {
            let calls = Atomic<Int>(0)
            func reconcile(_ object: Widget, context: ReconcileContext) async throws -> Action {
                calls.add(1, ordering: .relaxed)
                throw Boom()
            }
            func errorPolicy(_ object: Widget, error: any Error, context: ReconcileContext) -> Action { .awaitChange }
        }
        let reconciler = GiveUp()
        let controller = Controller(
            name: "give-up", reconciler: reconciler, store: syncedStore([widget("a")]),
            configuration: ControllerConfiguration(rateLimiter: fastRetries), logger: quietLogger,
            metricsFactory: TestMetrics())
        await running(controller) {
            #expect(await eventually { reconciler.calls.load(ordering: .relaxed) == 1 })
            // fastRetries would have retried several times within this window.
            try? await Task.sleep(for: .milliseconds(300))
        }
        #expect(reconciler.calls.load(ordering: .relaxed) == 1)
    }

    @Test func eachReconcileLogsWithItsOwnIDAndTheObjectKey() async {
        let logs = LogRecorder()
        let reconciler = ScriptedReconciler { _, _ in .awaitChange }
        let controller = Controller(
            name: "logs", reconciler: reconciler, store: syncedStore([widget("a", namespace: "team-a"), widget("b")]),
            logger: logs.logger(), metricsFactory: TestMetrics())
        await running(controller) {
            #expect(await eventually { reconciler.calls.withLock { $0.count } == 2 })
        }
        let records = logs.all.filter { $0.message == "reconciling" }
        #expect(records.count == 2)
        let ids = Set(records.compactMap { $0.metadata["reconcile.id"] })
        #expect(ids.count == 2)
        #expect(ids.allSatisfy { $0.count == 16 })
        #expect(ids == Set(reconciler.calls.withLock { $0.map(\.id) }))
        let a = records.first { $0.metadata["widget.name"] == "a" }
        #expect(a?.metadata["widget.namespace"] == "team-a")
        #expect(a?.metadata["controller"] == "logs")
    }

    @Test func aChangeInAWatchedStoreEnqueuesTheMappedKeys() async {
        let owners = Store<Widget>()
        owners.replace([])
        let reconciler = ScriptedReconciler { _, _ in .awaitChange }
        let controller = Controller(
            name: "secondary", reconciler: reconciler, store: syncedStore([widget("a"), widget("b")]),
            logger: quietLogger, metricsFactory: TestMetrics())
        // An owner named "x-for-b" maps to widget b.
        controller.watches(owners) { owner in
            [ObjectKey(namespace: "default", name: String(owner.metadata.name?.split(separator: "-").last ?? ""))]
        }
        await running(controller) {
            #expect(await eventually { reconciler.calls.withLock { $0.count } == 2 })
            owners.apply(.upserted(widget("x-for-b", namespace: "other")))
            #expect(await eventually { reconciler.callCount("b") == 2 })
        }
        #expect(reconciler.callCount("a") == 1)
    }

    @Test func eightWorkersNeverReconcileOneObjectConcurrentlyUnderBurstsOfUpdates() async {
        let store = syncedStore((0..<4).map { widget("w\($0)") })
        let reconciler = ScriptedReconciler { _, _ in
            try? await Task.sleep(for: .milliseconds(Int.random(in: 1...4)))
            return .awaitChange
        }
        let controller = Controller(
            name: "burst", reconciler: reconciler, store: store, configuration: ControllerConfiguration(workers: 8),
            logger: quietLogger, metricsFactory: TestMetrics())
        await running(controller) {
            for version in 2..<60 {
                for index in 0..<4 { store.apply(.upserted(widget("w\(index)", size: version, version: version))) }
                try? await Task.sleep(for: .milliseconds(1))
            }
            // Level-triggered: the last reconcile of each key sees its final state.
            #expect(
                await eventually {
                    (0..<4).allSatisfy { index in
                        reconciler.calls.withLock { $0.last { $0.key.name == "w\(index)" }?.size } == 59
                    } && controller.queue.processingCount == 0
                })
        }
        let reconciler_overlapsValue = reconciler.overlaps.load(ordering: .relaxed)
        #expect(reconciler_overlapsValue == 0)
    }

    @Test func gracefulShutdownLetsTheInFlightReconcileFinishAndStartsNoNewOne() async throws {
        let finished = Shared(0)
        let reconciler = ScriptedReconciler { _, _ in
            try await Task.sleep(for: .milliseconds(400))
            finished.increment()
            return .requeue(after: .milliseconds(1))
        }
        let controller = Controller(
            name: "graceful", reconciler: reconciler, store: syncedStore([widget("a")]),
            configuration: ControllerConfiguration(workers: 1), logger: quietLogger, metricsFactory: TestMetrics())
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                #expect(await eventually { reconciler.callCount("a") == 1 })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let finishedValue = finished.value
        #expect(finishedValue == 1)
        #expect(reconciler.callCount("a") == 1)
    }

    @Test func gracefulShutdownCancelsReconcilesThatOutlastTheTimeout() async throws {
        let cancelled = Shared(false)
        let reconciler = ScriptedReconciler { _, _ in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancelled.withLock { $0 = true }
                throw error
            }
            return .awaitChange
        }
        let controller = Controller(
            name: "timeout", reconciler: reconciler, store: syncedStore([widget("a")]),
            configuration: ControllerConfiguration(gracefulShutdownTimeout: .milliseconds(200)),
            logger: quietLogger, metricsFactory: TestMetrics())
        let started = ContinuousClock.now
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                #expect(await eventually { reconciler.callCount("a") == 1 })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let cancelledValue = cancelled.value
        #expect(cancelledValue)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func objectsDeletedBeforeTheirTurnAreSkipped() async {
        let store = syncedStore([widget("a")])
        let reconciler = ScriptedReconciler { _, _ in .awaitChange }
        let controller = Controller(
            name: "deleted", reconciler: reconciler, store: store, logger: quietLogger,
            metricsFactory: TestMetrics())
        store.apply(.deleted(widget("a")))
        controller.enqueue(ObjectKey(namespace: "default", name: "a"))
        await running(controller) {
            try? await Task.sleep(for: .milliseconds(200))
        }
        #expect(reconciler.callCount("a") == 0)
    }
}
