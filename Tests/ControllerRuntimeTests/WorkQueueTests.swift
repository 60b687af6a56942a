@testable import ControllerRuntime
import Metrics
import MetricsTestKit
import Synchronization
import Testing

@Suite struct WorkQueueTests {
    @Test func addingAWaitingKeyAgainStoresItOnce() async {
        let queue = WorkQueue<String>(name: "dedupe", metricsFactory: TestMetrics())
        queue.add("a")
        queue.add("a")
        queue.add("b")
        #expect(queue.depth == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
    }

    @Test func aKeyAddedWhileProcessingIsHandedOutAgainOnlyAfterDone() async {
        let queue = WorkQueue<String>(name: "exclusive", metricsFactory: TestMetrics())
        queue.add("a")
        #expect(await queue.get() == "a")
        queue.add("a")
        // Held by a worker: not ready for anyone else.
        #expect(queue.depth == 0)
        queue.done("a")
        #expect(queue.depth == 1)
        #expect(await queue.get() == "a")
    }

    @Test func aWaitingWorkerGetsTheNextKeyAsSoonAsItIsAdded() async {
        let queue = WorkQueue<String>(name: "waiter", metricsFactory: TestMetrics())
        async let key = queue.get()
        try? await Task.sleep(for: .milliseconds(50))
        queue.add("late")
        #expect(await key == "late")
    }

    @Test func neverHandsOneKeyToTwoOfEightWorkersUnderBurstsOfUpdates() async {
        let queue = WorkQueue<Int>(name: "concurrency", metricsFactory: TestMetrics())
        let inFlight = Shared<Set<Int>>([])
        let overlaps = Shared(0)
        let processed = Shared(0)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.runDelayLoop() }
            for _ in 0..<8 {
                group.addTask {
                    while let key = await queue.get() {
                        let fresh = inFlight.withLock { $0.insert(key).inserted }
                        if !fresh { overlaps.increment() }
                        try? await Task.sleep(for: .microseconds(Int.random(in: 50...500)))
                        inFlight.withLock { _ = $0.remove(key) }
                        processed.increment()
                        queue.done(key)
                    }
                }
            }
            // Bursts: every key updated many times, some immediately, some delayed.
            for burst in 0..<40 {
                for key in 0..<5 {
                    queue.add(key)
                    if burst % 3 == 0 { queue.addAfter(key, .milliseconds(Int.random(in: 1...5))) }
                }
                try? await Task.sleep(for: .milliseconds(2))
            }
            _ = await eventually(timeout: .seconds(10)) {
                queue.depth == 0 && queue.delayedCount == 0 && queue.processingCount == 0
            }
            queue.shutDown()
            await group.waitForAll()
        }
        let overlapsValue = overlaps.value
        #expect(overlapsValue == 0)
        // Dedup collapses the bursts: far fewer reconciles than the 200 + delayed adds, but every key ran.
        let processedValue = processed.value
        #expect(processedValue >= 5)
        #expect(processedValue < 270)
    }

    @Test func delayedKeysBecomeReadyAfterTheirDelayAndTheEarliestDelayWins() async {
        let queue = WorkQueue<String>(name: "delay", metricsFactory: TestMetrics())
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.runDelayLoop() }
            let started = ContinuousClock.now
            queue.addAfter("a", .seconds(30))
            queue.addAfter("a", .milliseconds(100))
            #expect(queue.depth == 0)
            let key = await queue.get()
            let waited = ContinuousClock.now - started
            #expect(key == "a")
            #expect(waited >= .milliseconds(100))
            #expect(waited < .seconds(5))
            queue.shutDown()
        }
    }

    @Test func rateLimitedRetriesBackOffLongerEachTimeAndForgetResets() async {
        let queue = WorkQueue<String>(
            name: "retries", rateLimiter: .init(baseDelay: .milliseconds(40), jitter: 0), metricsFactory: TestMetrics())
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.runDelayLoop() }
            var waits: [Duration] = []
            for _ in 0..<3 {
                let started = ContinuousClock.now
                queue.addRateLimited("a")
                #expect(await queue.get() == "a")
                waits.append(ContinuousClock.now - started)
                queue.done("a")
            }
            #expect(waits[0] >= .milliseconds(40))
            #expect(waits[1] >= .milliseconds(80))
            #expect(waits[2] >= .milliseconds(160))
            #expect(queue.numRequeues("a") == 3)
            queue.forget("a")
            #expect(queue.numRequeues("a") == 0)
            queue.shutDown()
        }
    }

    @Test func shutdownStopsHandingOutWorkAndReleasesWaitingWorkers() async {
        let queue = WorkQueue<String>(name: "shutdown", metricsFactory: TestMetrics())
        async let waiting = queue.get()
        try? await Task.sleep(for: .milliseconds(30))
        queue.shutDown()
        #expect(await waiting == nil)
        queue.add("after")
        #expect(queue.depth == 0)
        #expect(await queue.get() == nil)
    }

    @Test func drainingShutdownWaitsForKeysInProgress() async {
        let queue = WorkQueue<String>(name: "drain", metricsFactory: TestMetrics())
        queue.add("a")
        #expect(await queue.get() == "a")
        let drained = Shared(false)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await queue.shutDownWithDrain()
                drained.withLock { $0 = true }
            }
            try? await Task.sleep(for: .milliseconds(100))
            let drainedValue = drained.value
            #expect(drainedValue == false)
            queue.done("a")
        }
        let drainedValue = drained.value
        #expect(drainedValue)
    }

    @Test func aCancelledWaitingWorkerReturnsNilAndLosesNoKey() async {
        let queue = WorkQueue<String>(name: "cancel", metricsFactory: TestMetrics())
        let task = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(30))
        task.cancel()
        #expect(await task.value == nil)
        queue.add("kept")
        #expect(await queue.get() == "kept")
    }

    @Test func reportsDepthAddsRetriesAndDurationsUnderTheQueueName() async throws {
        let metrics = TestMetrics()
        let queue = WorkQueue<String>(name: "metrics", rateLimiter: .init(baseDelay: .milliseconds(1)), metricsFactory: metrics)
        queue.add("a")
        queue.add("a")
        queue.add("b")
        #expect(try metrics.expectGauge("workqueue_depth", [("name", "metrics")]).lastValue == 2)
        #expect(try metrics.expectCounter("workqueue_adds_total", [("name", "metrics")]).totalValue == 2)
        _ = await queue.get()
        queue.done("a")
        queue.addRateLimited("a")
        #expect(try metrics.expectCounter("workqueue_retries_total", [("name", "metrics")]).totalValue == 1)
        #expect(try metrics.expectTimer("workqueue_queue_duration_seconds", [("name", "metrics")]).values.count == 1)
        #expect(try metrics.expectTimer("workqueue_work_duration_seconds", [("name", "metrics")]).values.count == 1)
    }
}
