import FlinkModel
import FlinkREST
import Testing

@Suite struct SchedulingTests {
    @Test func aJobThatCannotGetItsSlotsStaysRunningWithEveryTaskScheduled() async throws {
        let flink = InMemoryFlink.fixture(slots: 4)
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming(parallelism: 8))
        flink.advance(by: .seconds(10))
        #expect(try await flink.jobStatus(id) == .running)
        let tasks = try await flink.jobsOverview().first?.tasks
        #expect(tasks?.scheduled == 16)
        #expect(tasks?.pending == 16)
        #expect(tasks?.running == 0)
        #expect(try await flink.clusterOverview().slotsAvailable == 4)
    }

    @Test func aWaitingJobGetsItsSlotsWhenAnotherJobEnds() async throws {
        let flink = InMemoryFlink.fixture(slots: 4)
        let jar = try await flink.uploadedJar()
        let first = try await flink.runningJob(.streaming("a", parallelism: 3), jar: jar)
        #expect(try await flink.clusterOverview().slotsAvailable == 1)
        let second = try await flink.runJar(jar, .streaming("b", parallelism: 2))
        flink.advance(by: .seconds(5))
        #expect(flink.job(second)?.tasks.scheduled == 4)
        try await flink.cancelJob(first)
        #expect(flink.advance(until: { $0.tasksRunning(second) }, within: .seconds(5)))
        #expect(try await flink.clusterOverview().slotsAvailable == 2)
    }

    @Test func aJobWaitingForSlotsFailsOverAfterTheSlotRequestTimeoutAndWaitsAgain() async throws {
        let flink = InMemoryFlink.fixture(slots: 1)
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming(parallelism: 2))
        flink.advance(by: .seconds(301))
        #expect(try await flink.jobExceptions(id).entries.first?.exceptionName
            == "org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException")
        #expect(try await flink.jobMetrics(id, names: ["numRestarts"]) == ["numRestarts": "1"])
        flink.advance(by: .seconds(2))
        #expect(try await flink.jobStatus(id) == .running)
        #expect(flink.job(id)?.tasks.scheduled == 4)
    }

    @Test func withoutARestartStrategyTheSlotTimeoutFailsTheJob() async throws {
        let flink = InMemoryFlink.fixture(slots: 1)
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming(parallelism: 2).with("restart-strategy.type", "none"))
        flink.advance(by: .seconds(301))
        #expect(try await flink.jobStatus(id) == .failed)
    }

    @Test func theAdaptiveSchedulerRunsAJobWithTheSlotsItGets() async throws {
        let flink = InMemoryFlink.fixture(slots: 4, scheduler: .adaptive)
        let jar = try await flink.uploadedJar()
        let id = try await flink.runningJob(.streaming(parallelism: 8), jar: jar)
        #expect(flink.job(id)?.parallelism == [4, 4])
        #expect(try await flink.jobDetails(id).schedulerType == "Adaptive")
    }

    @Test func anAdaptiveJobGrowsIntoSlotsOtherJobsFree() async throws {
        let flink = InMemoryFlink.fixture(slots: 4, scheduler: .adaptive)
        let jar = try await flink.uploadedJar()
        let small = try await flink.runningJob(.streaming("small", parallelism: 2), jar: jar)
        let big = try await flink.runningJob(.streaming("big", parallelism: 4), jar: jar)
        #expect(flink.job(big)?.parallelism == [2, 2])
        try await flink.cancelJob(small)
        #expect(flink.advance(until: { $0.job(big)?.parallelism == [4, 4] && $0.tasksRunning(big) }, within: .seconds(5)))
        #expect(flink.job(big)?.state == .running)
    }

    @Test func aBatchJobFinishesAfterItsRunTime() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .batch())
        flink.advance(by: .seconds(2))
        #expect(try await flink.jobStatus(id) == .running)
        #expect(try await flink.jobExecutionResult(id) == .inProgress)
        flink.advance(by: .seconds(2))
        let details = try await flink.jobDetails(id)
        #expect(details.state == .finished)
        #expect(details.jobType == "BATCH")
        #expect(details.schedulerType == "AdaptiveBatch")
        #expect(details.taskCounts.finished == 2)
        guard case .completed(let result) = try await flink.jobExecutionResult(id) else {
            Issue.record("expected a result")
            return
        }
        #expect(result.applicationStatus == .succeeded)
        #expect(result.netRuntime == 3800)
        #expect(try await flink.checkpointStatistics(id) == nil)
    }

    @Test func immediateTimingsRunAJobWhenTheRunCallReturns() async throws {
        let flink = InMemoryFlink.fixture(timings: .immediate)
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming())
        #expect(flink.tasksRunning(id))
        let batch = try await flink.runJar(jar, .batch())
        #expect(try await flink.jobStatus(batch) == .finished)
    }
}
