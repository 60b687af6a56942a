import Metrics
import Synchronization

/// The controller's queue of keys to reconcile (client-go `workqueue`): deduplicated, never handing one key to
/// two workers, with delayed and rate-limited adds.
///
/// - **Dedup.** A key added while it waits is stored once (`dirty`).
/// - **Exclusive.** A key added while a worker holds it (`processing`) is handed out again only after that worker
///   calls `done`, so no two workers ever reconcile the same key at once.
/// - **Delays.** `addAfter` parks the key until its time (the earliest wins when added twice); `addRateLimited`
///   uses the `RateLimiter` (per-key exponential backoff with jitter, and an overall token bucket); `forget`
///   resets a key's backoff.
/// - **Shutdown.** `shutDown()` stops handing out work at once (waiting `get`s return `nil`; adds are ignored);
///   `shutDownWithDrain()` also waits until every key being processed is `done`.
///
/// Metrics (label `name`): `workqueue_depth`, `workqueue_adds_total`, `workqueue_queue_duration_seconds`,
/// `workqueue_work_duration_seconds`, `workqueue_retries_total`. `runDelayLoop()` must run (the controller runs
/// it) for delayed keys to become ready.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Key?, Never>
    }

    /// A key given to a waiting worker; resumed after the lock is released.
    private struct HandOff {
        var continuation: CheckedContinuation<Key?, Never>
        var key: Key
        func resume() { continuation.resume(returning: key) }
    }

    private struct State {
        var queue: [Key] = []
        var head = 0
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var addedAt: [Key: ContinuousClock.Instant] = [:]
        var startedAt: [Key: ContinuousClock.Instant] = [:]
        var delayed: [Key: ContinuousClock.Instant] = [:]
        var waiters: [Waiter] = []
        var cancelledWaiters: Set<Int> = []
        var nextWaiterID = 0
        var shuttingDown = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var rateLimiter: RateLimiter<Key>

        var readyCount: Int { queue.count - head }

        mutating func popReady() -> Key? {
            guard head < queue.count else { return nil }
            let key = queue[head]
            head += 1
            // Compact now and then so the array does not grow without bound.
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return key
        }
    }

    /// The queue's name (the metrics' `name` label).
    public let name: String
    private let state: Mutex<State>
    private let delaySignal = WakeSignal()
    private let depthGauge: Gauge
    private let adds: Counter
    private let retries: Counter
    private let queueDuration: Timer
    private let workDuration: Timer

    /// An empty queue.
    public init(
        name: String, rateLimiter: RateLimiter<Key>.Configuration = .init(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.name = name
        state = Mutex(State(rateLimiter: RateLimiter(configuration: rateLimiter)))
        let dimensions = [("name", name)]
        depthGauge = Gauge(label: "workqueue_depth", dimensions: dimensions, factory: metricsFactory)
        adds = Counter(label: "workqueue_adds_total", dimensions: dimensions, factory: metricsFactory)
        retries = Counter(label: "workqueue_retries_total", dimensions: dimensions, factory: metricsFactory)
        queueDuration = Timer(
            label: "workqueue_queue_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds,
            factory: metricsFactory)
        workDuration = Timer(
            label: "workqueue_work_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds,
            factory: metricsFactory)
        depthGauge.record(0)
    }

    // MARK: Adding

    /// Queues `key` now (no-op when already waiting, or after shutdown).
    public func add(_ key: Key) {
        let handOff = state.withLock { state in self.insert(key, into: &state) }
        handOff?.resume()
    }

    /// Queues `key` after `delay` (at once when `delay <= 0`).
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard delay > .zero else { return add(key) }
        let wake = state.withLock { state -> Bool in
            guard !state.shuttingDown else { return false }
            let readyAt = ContinuousClock.now + delay
            let earliestBefore = state.delayed.values.min()
            if let existing = state.delayed[key], existing <= readyAt { return false }
            state.delayed[key] = readyAt
            return earliestBefore.map { readyAt < $0 } ?? true
        }
        if wake { delaySignal.signal() }
    }

    /// Queues `key` after its rate-limited backoff, or after `minimumDelay` when that is longer (a retry:
    /// counted in `workqueue_retries_total`).
    public func addRateLimited(_ key: Key, minimumDelay: Duration = .zero) {
        let delay = state.withLock { $0.rateLimiter.when(key, now: .now) }
        retries.increment()
        addAfter(key, max(delay, minimumDelay))
    }

    /// Forgets `key`'s failures: its next backoff starts from the base delay.
    public func forget(_ key: Key) {
        state.withLock { $0.rateLimiter.forget(key) }
    }

    /// How many rate-limited retries `key` has had since it was last forgotten.
    public func numRequeues(_ key: Key) -> Int {
        state.withLock { $0.rateLimiter.failures(of: key) }
    }

    // MARK: Working

    /// The next key to work on, waiting until one is ready; `nil` after shutdown or when the task is cancelled.
    ///
    /// The caller owns the key until it calls `done(key)`.
    public func get() async -> Key? {
        let id = state.withLock { state -> Int in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        let key = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Key?, Never>) in
                let immediate = state.withLock { state -> Key?? in
                    if state.cancelledWaiters.remove(id) != nil || state.shuttingDown { return .some(nil) }
                    if let key = state.popReady() {
                        self.startProcessing(key, in: &state)
                        return .some(key)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume(returning: nil)
        }
        state.withLock { _ = $0.cancelledWaiters.remove(id) }
        return key
    }

    /// Marks `key` finished; if it was added again meanwhile it becomes ready now.
    public func done(_ key: Key) {
        let (handOff, drained) = state.withLock { state -> (HandOff?, [CheckedContinuation<Void, Never>]) in
            state.processing.remove(key)
            if let started = state.startedAt.removeValue(forKey: key) {
                workDuration.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
            }
            var handOff: HandOff?
            if state.dirty.contains(key) && !state.shuttingDown {
                state.queue.append(key)
                handOff = self.handToWaiter(&state)
            }
            depthGauge.record(state.readyCount)
            guard state.shuttingDown && state.processing.isEmpty else { return (handOff, []) }
            defer { state.drainWaiters = [] }
            return (handOff, state.drainWaiters)
        }
        handOff?.resume()
        for waiter in drained { waiter.resume() }
    }

    // MARK: Shutdown

    /// Stops handing out work: waiting and future `get`s return `nil`, adds are ignored. Keys being processed
    /// may still be `done`.
    public func shutDown() {
        let waiters = state.withLock { state -> [Waiter] in
            state.shuttingDown = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
        delaySignal.signal()
    }

    /// `shutDown()`, then waits until every key being processed is `done` (cancellation ends the wait).
    public func shutDownWithDrain() async {
        shutDown()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.processing.isEmpty { return true }
                    state.drainWaiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                defer { state.drainWaiters = [] }
                return state.drainWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Whether `shutDown` was called.
    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Keys ready to be handed out.
    public var depth: Int { state.withLock { $0.readyCount } }

    /// Keys waiting for their delay.
    public var delayedCount: Int { state.withLock { $0.delayed.count } }

    /// Keys currently held by workers.
    public var processingCount: Int { state.withLock { $0.processing.count } }

    // MARK: Delays

    /// Moves delayed keys into the queue when their time comes; returns after shutdown or cancellation.
    public func runDelayLoop() async {
        while !Task.isCancelled {
            let (handOffs, next, stop) = state.withLock { state -> ([HandOff], ContinuousClock.Instant?, Bool) in
                if state.shuttingDown { return ([], nil, true) }
                let now = ContinuousClock.now
                var handOffs: [HandOff] = []
                for (key, readyAt) in state.delayed where readyAt <= now {
                    state.delayed[key] = nil
                    if let handOff = self.insert(key, into: &state) { handOffs.append(handOff) }
                }
                return (handOffs, state.delayed.values.min(), false)
            }
            for handOff in handOffs { handOff.resume() }
            if stop { return }
            await delaySignal.wait(until: next)
        }
    }

    // MARK: Under the lock

    /// client-go's `Add`; returns a waiter to resume (outside the lock) when the key went straight to a worker.
    private func insert(_ key: Key, into state: inout State) -> HandOff? {
        guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
        state.dirty.insert(key)
        state.addedAt[key] = state.addedAt[key] ?? .now
        adds.increment()
        guard !state.processing.contains(key) else { return nil }
        state.queue.append(key)
        let handOff = handToWaiter(&state)
        depthGauge.record(state.readyCount)
        return handOff
    }

    /// Gives the head of the queue to the longest-waiting worker, if any; the caller resumes it after unlocking.
    private func handToWaiter(_ state: inout State) -> HandOff? {
        guard !state.waiters.isEmpty, let key = state.popReady() else { return nil }
        let waiter = state.waiters.removeFirst()
        startProcessing(key, in: &state)
        return HandOff(continuation: waiter.continuation, key: key)
    }

    private func startProcessing(_ key: Key, in state: inout State) {
        state.dirty.remove(key)
        state.processing.insert(key)
        let now = ContinuousClock.now
        if let added = state.addedAt.removeValue(forKey: key) {
            queueDuration.recordNanoseconds(Self.nanoseconds(now - added))
        }
        state.startedAt[key] = now
        depthGauge.record(state.readyCount)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
