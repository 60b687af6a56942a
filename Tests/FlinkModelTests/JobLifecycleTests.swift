import FlinkModel
import FlinkREST
import Testing

@Suite struct JobLifecycleTests {
    @Test func cancelGoesThroughCancellingToCanceledAndFreesTheSlots() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming(parallelism: 2))
        #expect(flink.freeSlots == 2)
        try await flink.cancelJob(id)
        #expect(try await flink.jobStatus(id) == .cancelling)
        #expect(flink.job(id)?.tasks.canceling == 4)
        flink.advance(by: .milliseconds(100))
        #expect(try await flink.jobStatus(id) == .canceled)
        #expect(flink.freeSlots == 4)
        guard case .completed(let result) = try await flink.jobExecutionResult(id) else {
            Issue.record("expected a result")
            return
        }
        #expect(result.applicationStatus == .canceled)
        #expect(result.failureCause == nil)
    }

    @Test func cancellingIsImmediateWithZeroCancellationTime() async throws {
        var timings = InMemoryFlink.Timings()
        timings.cancellation = .zero
        let flink = InMemoryFlink.fixture(timings: timings)
        let id = try await flink.runningJob(.streaming())
        try await flink.cancelJob(id)
        #expect(try await flink.jobStatus(id) == .canceled)
    }

    @Test func cancellingAnEndedJobSucceedsAndAnUnknownJobIsNotFound() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        try await flink.cancelJob(id)
        flink.advance(by: .seconds(1))
        try await flink.cancelJob(id)
        #expect(try await flink.jobStatus(id) == .canceled)
        let error = await flinkError { try await flink.cancelJob(.fixture("9")) }
        #expect(error?.kind == "notFound")
        #expect(error?.message.contains("Job could not be found") == true)
    }

    @Test func unknownJobsAreNotFoundOnEveryJobEndpoint() async throws {
        let flink = InMemoryFlink.fixture()
        let id = FlinkJobID.fixture("9")
        #expect(await flinkError { _ = try await flink.jobStatus(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.jobDetails(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.jobExceptions(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.jobExecutionResult(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.checkpointStatistics(id) }?.kind == "notFound")
        // Flink's metric store just has nothing for it.
        #expect(try await flink.jobMetrics(id, names: ["numRestarts"]) == [:])
        #expect(try await flink.backpressure(of: id, vertex: "x") == .unavailable)
    }

    @Test func failJobFailsItForGoodWithTheCauseInExceptionsAndResult() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        #expect(flink.failJob(id, message: "disk full", exceptionClass: "java.io.IOException"))
        #expect(try await flink.jobStatus(id) == .failed)
        let entry = try #require(try await flink.jobExceptions(id).entries.first)
        #expect(entry.exceptionName == "java.io.IOException")
        #expect(entry.summary == "java.io.IOException: disk full")
        guard case .completed(let result) = try await flink.jobExecutionResult(id) else {
            Issue.record("expected a result")
            return
        }
        #expect(result.applicationStatus == .failed)
        #expect(result.failureCause?.summary == "java.io.IOException: disk full")
        #expect(try await flink.jobDetails(id).taskCounts.failed == 1)
        #expect(!flink.failJob(id, message: "again"))
    }

    /// A restart strategy and how many task failures the job survives.
    struct StrategyCase: Sendable, CustomTestStringConvertible {
        var configuration: [String: String]
        var checkpointing: Bool
        var survivedFailures: Int?
        var testDescription: String {
            "\(configuration["restart-strategy.type"] ?? "default")\(checkpointing ? " with" : " without") checkpointing"
        }
    }

    static let strategies = [
        StrategyCase(configuration: [:], checkpointing: true, survivedFailures: nil),
        StrategyCase(configuration: [:], checkpointing: false, survivedFailures: 0),
        StrategyCase(configuration: ["restart-strategy.type": "none"], checkpointing: true, survivedFailures: 0),
        StrategyCase(
            configuration: ["restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "2",
                            "restart-strategy.fixed-delay.delay": "2 s"],
            checkpointing: true, survivedFailures: 2),
        StrategyCase(configuration: ["restart-strategy.type": "exponential-delay"], checkpointing: false, survivedFailures: nil),
    ]

    @Test("task failures restart the job as its restart strategy says", arguments: strategies)
    func taskFailuresFollowTheRestartStrategy(_ testCase: StrategyCase) async throws {
        let flink = InMemoryFlink.fixture()
        var request = JarRunRequest.streaming(checkpointInterval: testCase.checkpointing ? "10 s" : nil)
        for (key, value) in testCase.configuration { request = request.with(key, value) }
        let id = try await flink.runningJob(request)
        for failure in 1...4 {
            flink.failTasks(of: id, message: "failure \(failure)")
            let survives = testCase.survivedFailures.map { failure <= $0 } ?? true
            if survives {
                #expect(try await flink.jobStatus(id) == .restarting)
                #expect(flink.advance(until: { $0.tasksRunning(id) }, within: .seconds(5)))
                #expect(try await flink.jobMetrics(id, names: ["numRestarts"])["numRestarts"] == "\(failure)")
            } else {
                #expect(try await flink.jobStatus(id) == .failed)
                let history = try await flink.jobExceptions(id)
                #expect(history.entries.first?.summary.contains("Recovery is suppressed by") == true)
                #expect(history.entries.first?.concurrentExceptions?.first?.summary
                    == "java.lang.RuntimeException: failure \(failure)")
                #expect(history.entries.count == failure)
                return
            }
        }
    }

    @Test func restartJobRestartsOnceWithMoreRestartsThenRunsAgain() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming().with("restart-strategy.type", "none"))
        #expect(flink.restartJob(id))
        #expect(try await flink.jobStatus(id) == .restarting)
        #expect(flink.job(id)?.numRestarts == 1)
        #expect(flink.advance(until: { $0.tasksRunning(id) }, within: .seconds(5)))
        #expect(try await flink.jobExceptions(id).entries.count == 1)
    }

    @Test func aProgramFailingAfterSomeSecondsCrashLoopsUnderTheDefaultStrategy() async throws {
        let flink = InMemoryFlink.fixture()
        flink.setProgram(.failing(after: .seconds(5), message: "poison record"), for: .jarNameSuffix("poison.jar"))
        let jar = try await flink.uploadedJar("poison.jar")
        let id = try await flink.runningJob(.streaming(), jar: jar)
        flink.advance(by: .milliseconds(4999))
        #expect(try await flink.jobStatus(id) == .running)
        flink.advance(by: .milliseconds(1))
        #expect(try await flink.jobStatus(id) == .restarting)
        flink.advance(by: .seconds(30))
        #expect((flink.job(id)?.numRestarts ?? 0) >= 4)
        #expect(try await flink.jobExceptions(id).entries.first?.summary == "java.lang.RuntimeException: poison record")
    }

    @Test func aProgramFailingOnlyItsFirstRunRecovers() async throws {
        let flink = InMemoryFlink.fixture()
        flink.setProgram(.failing(after: .seconds(1), message: "flaky", runs: 1), for: .entryClass("org.example.StreamingJob"))
        let id = try await flink.runningJob(.streaming())
        flink.advance(by: .seconds(60))
        #expect(try await flink.jobStatus(id) == .running)
        #expect(flink.job(id)?.numRestarts == 1)
    }
}
