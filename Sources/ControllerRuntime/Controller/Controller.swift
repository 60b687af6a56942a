import Kubernetes
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Runs a `Reconciler` over the keys of a cached kind with N workers (controller-runtime `Controller`, kube-rs
/// `Controller`).
///
/// - **Triggers.** Every change of the primary store enqueues the object's key (the current contents first);
///   `watches(_:mapper:)` adds secondary stores whose changes enqueue mapped keys (a FlinkSessionCluster change
///   enqueues the FlinkJobs that reference it). `enqueue` adds keys from anywhere else.
/// - **Workers.** Start once every store has synced. A key is never reconciled by two workers at once
///   (`WorkQueue`). Reconciles of keys no longer in the cache are skipped.
/// - **Outcomes.** Success forgets the key's backoff, then `Action.requeue(after:)` re-adds it after the delay
///   (`.zero`: a rate-limited requeue) and `.awaitChange` waits for the next change. A thrown `TerminalError` is
///   logged and counted, never retried. Any other error goes to the pure `errorPolicy`, whose
///   `.requeue(after: d)` retries after the longer of `d` and the key's exponential backoff. A throwing reconcile
///   never ends a worker.
/// - **Observability.** Each reconcile has a random ID, in the logger as `reconcile.id` with `<kind>.namespace`
///   and `<kind>.name`. Metrics (label `controller`): `controller_runtime_reconcile_total{result}` (success,
///   error, requeue, requeue_after, terminal_error — all created at 0), `controller_runtime_reconcile_errors_total`,
///   `controller_runtime_reconcile_time_seconds`, `controller_runtime_active_workers`, plus the queue's.
/// - **Shutdown.** Graceful shutdown stops handing out keys and lets in-flight reconciles finish, for at most
///   `gracefulShutdownTimeout`, then cancels them; cancellation (e.g. leadership lost) stops everything at once.
public final class Controller<R: Reconciler>: Service {
    /// A secondary trigger: waits for its store to sync, then feeds mapped keys into the queue until cancelled.
    private struct Trigger: Sendable {
        var waitUntilSynced: @Sendable () async -> Void
        var run: @Sendable (WorkQueue<ObjectKey>) async -> Void
    }

    /// The result label values of `controller_runtime_reconcile_total`.
    public enum Result: String, Sendable, CaseIterable {
        case success
        case error
        case requeue
        case requeueAfter = "requeue_after"
        case terminalError = "terminal_error"
    }

    /// The controller's name (metrics label, logs).
    public let name: String
    /// The queue of keys to reconcile.
    public let queue: WorkQueue<ObjectKey>
    private let reconciler: R
    private let store: Store<R.Object>
    private let configuration: ControllerConfiguration
    private let logger: Logger
    private let kindLabel: String
    private let triggers = Mutex<[Trigger]>([])
    private let activeWorkerCount = Atomic<Int>(0)
    private let reconcileTotals: [Result: Counter]
    private let reconcileErrors: Counter
    private let reconcileTime: Timer
    private let activeWorkers: Gauge

    /// A controller reconciling the objects of `store` with `reconciler`.
    public init(
        name: String, reconciler: R, store: Store<R.Object>,
        configuration: ControllerConfiguration = ControllerConfiguration(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.name = name
        self.reconciler = reconciler
        self.store = store
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
        kindLabel = String(describing: R.Object.self).lowercased()
        queue = WorkQueue(name: name, rateLimiter: configuration.rateLimiter, metricsFactory: metricsFactory)
        var totals: [Result: Counter] = [:]
        for result in Result.allCases {
            // Created up front so every label value is exported at 0 before it first happens.
            totals[result] = Counter(
                label: "controller_runtime_reconcile_total",
                dimensions: [("controller", name), ("result", result.rawValue)], factory: metricsFactory)
        }
        reconcileTotals = totals
        reconcileErrors = Counter(
            label: "controller_runtime_reconcile_errors_total", dimensions: [("controller", name)],
            factory: metricsFactory)
        reconcileTime = Timer(
            label: "controller_runtime_reconcile_time_seconds", dimensions: [("controller", name)],
            preferredDisplayUnit: .seconds, factory: metricsFactory)
        activeWorkers = Gauge(
            label: "controller_runtime_active_workers", dimensions: [("controller", name)], factory: metricsFactory)
        activeWorkers.record(0)
    }

    /// Reconciles the keys `mapper` returns whenever an object of `other` changes (added, modified, deleted).
    ///
    /// Call before `run()`.
    public func watches<Other: KubernetesObject>(
        _ other: Store<Other>, mapper: @escaping @Sendable (Other) -> [ObjectKey]
    ) {
        let trigger = Trigger(
            waitUntilSynced: { await other.waitUntilSynced() },
            run: { queue in
                for await change in other.changes() {
                    for key in mapper(change.object) { queue.add(key) }
                }
            })
        triggers.withLock { $0.append(trigger) }
    }

    /// Queues `key` for a reconcile (e.g. from a timer or another controller).
    public func enqueue(_ key: ObjectKey) {
        queue.add(key)
    }

    // MARK: Running

    private enum ChildResult: Sendable {
        case workerFinished
        case shutdownTimedOut
        case background
    }

    /// Waits for the caches, then reconciles until graceful shutdown or cancellation.
    public func run() async throws {
        let triggers = self.triggers.withLock { $0 }
        let store = self.store
        let synced = await cancelWhenGracefulShutdown {
            await store.waitUntilSynced()
            for trigger in triggers { await trigger.waitUntilSynced() }
            return !Task.isCancelled
        }
        guard synced, !Task.isShuttingDownGracefully else {
            logger.info("Controller stopped before its caches synced")
            queue.shutDown()
            return
        }
        logger.info("Controller started", metadata: ["workers": "\(configuration.workers)"])
        let shutdownStarted = WakeSignal()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: ChildResult.self) { group in
                group.addTask { [queue] in
                    await queue.runDelayLoop()
                    return .background
                }
                group.addTask { [queue] in
                    for await change in store.changes() {
                        if let key = change.object.objectKey { queue.add(key) }
                    }
                    return .background
                }
                for trigger in triggers {
                    group.addTask { [queue] in
                        await trigger.run(queue)
                        return .background
                    }
                }
                for _ in 0..<configuration.workers {
                    group.addTask { [self] in
                        await worker()
                        return .workerFinished
                    }
                }
                group.addTask { [configuration] in
                    await shutdownStarted.wait(until: nil)
                    guard !Task.isCancelled else { return .background }
                    try? await Task.sleep(for: configuration.gracefulShutdownTimeout)
                    return Task.isCancelled ? .background : .shutdownTimedOut
                }
                var running = configuration.workers
                while let result = await group.next() {
                    switch result {
                    case .workerFinished:
                        running -= 1
                        if running == 0 { group.cancelAll() }
                    case .shutdownTimedOut:
                        logger.warning(
                            "In-flight reconciles did not finish within the graceful shutdown timeout; cancelling them",
                            metadata: ["timeout": "\(configuration.gracefulShutdownTimeout)"])
                        group.cancelAll()
                    case .background:
                        break
                    }
                }
            }
        } onGracefulShutdown: { [queue, logger] in
            logger.info("Controller shutting down: no new reconciles, waiting for in-flight ones")
            queue.shutDown()
            shutdownStarted.signal()
        }
        logger.info("Controller stopped")
    }

    private func worker() async {
        while let key = await queue.get() {
            await process(key)
            queue.done(key)
        }
    }

    /// One reconcile of `key` and what follows from its outcome.
    private func process(_ key: ObjectKey) async {
        let id = ReconcileContext.makeID()
        var logger = self.logger
        logger[metadataKey: "reconcile.id"] = "\(id)"
        if let namespace = key.namespace { logger[metadataKey: "\(kindLabel).namespace"] = "\(namespace)" }
        logger[metadataKey: "\(kindLabel).name"] = "\(key.name)"
        guard let object = store.get(key) else {
            // Deleted since it was queued: nothing to reconcile, and no backoff to keep.
            queue.forget(key)
            logger.debug("Object no longer cached; skipping")
            return
        }
        let context = ReconcileContext(
            id: id, key: key, controller: name, logger: logger, retries: queue.numRequeues(key))
        activeWorkers.record(activeWorkerCount.add(1, ordering: .relaxed).newValue)
        let started = ContinuousClock.now
        let outcome: Swift.Result<Action, any Error>
        do {
            outcome = .success(try await reconciler.reconcile(object, context: context))
        } catch {
            outcome = .failure(error)
        }
        reconcileTime.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
        activeWorkers.record(activeWorkerCount.subtract(1, ordering: .relaxed).newValue)

        switch outcome {
        case .success(let action):
            queue.forget(key)
            switch action.requeueAfter {
            case nil:
                count(.success)
            case .some(let delay) where delay == .zero:
                count(.requeue)
                queue.addRateLimited(key)
            case .some(let delay):
                count(.requeueAfter)
                queue.addAfter(key, delay)
            }
            logger.debug("Reconciled", metadata: ["action": "\(action)"])
        case .failure(let error as TerminalError):
            count(.terminalError)
            reconcileErrors.increment()
            queue.forget(key)
            logger.error("Reconcile failed permanently; not retrying", metadata: ["error": "\(error.underlying)"])
        case .failure(let error):
            if Task.isCancelled {
                // Stopped by shutdown or lost leadership: not a failure of the object, and no retry here.
                logger.debug("Reconcile cancelled", metadata: ["error": "\(error)"])
                return
            }
            count(.error)
            reconcileErrors.increment()
            let action = reconciler.errorPolicy(object, error: error, context: context)
            if let delay = action.requeueAfter {
                queue.addRateLimited(key, minimumDelay: delay)
            }
            logger.warning(
                "Reconcile failed", metadata: ["error": "\(error)", "action": "\(action)", "retries": "\(context.retries)"])
        }
    }

    private func count(_ result: Result) {
        reconcileTotals[result]?.increment()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
