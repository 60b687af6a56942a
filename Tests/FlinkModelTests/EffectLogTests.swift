import FlinkModel
import FlinkREST
import Testing

@Suite struct EffectLogTests {
    @Test func everyChangingCallIsRecordedInOrderWithTimeArgumentsAndOutcome() async throws {
        let flink = InMemoryFlink.fixture(scheduler: .adaptive)
        let jar = try await flink.uploadedJar()
        flink.advance(by: .seconds(1))
        let id = try await flink.runningJob(.streaming(jobID: .fixture("a")), jar: jar)
        _ = await flinkError { _ = try await flink.runJar(jar, .streaming(jobID: id)) }
        let requirements = try await flink.resourceRequirements(of: id)
        try await flink.updateResourceRequirements(of: id, requirements.withAllVertices(lowerBound: 1, upperBound: 2))
        _ = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: .fixture("1"))
        _ = try await flink.disposeSavepoint(at: "file:/nope")
        try await flink.cancelJob(id)
        try await flink.deleteJar(jar)
        _ = try await flink.jobsOverview()

        let effects = flink.effects
        #expect(effects.map(\.operation) == [
            .uploadJar, .runJar, .runJar, .updateResourceRequirements, .triggerSavepoint, .disposeSavepoint,
            .cancelJob, .deleteJar,
        ])
        #expect(effects.map(\.sequence) == effects.map(\.sequence).sorted())
        #expect(Set(effects.map(\.sequence)).count == effects.count)
        #expect(effects[1].time == flink.configuration.startTime + 1000)
        #expect(effects[1].outcome == .submitted(id))
        #expect(effects[2].failed)
        if case .failed(let error) = effects[2].outcome { #expect(error.kind == "duplicateJob") }
        #expect(effects[1].call.jobID == id)
    }

    @Test func aStopWithSavepointIsFollowedByARunFromThatSavepoint() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let old = try await flink.runningJob(.streaming("ns/app", jobID: .fixture("1")), jar: jar)
        let trigger = try await flink.stopWithSavepoint(old, targetDirectory: nil, drain: false, formatType: nil, triggerID: .fixture("5"))
        guard case .completed(let location) = try await flink.awaitSavepoint(old, trigger) else {
            Issue.record("expected a savepoint")
            return
        }
        #expect(flink.liveJobs(named: "ns/app").isEmpty)
        let new = try await flink.runningJob(.streaming("ns/app", jobID: .fixture("2")).restoring(from: location), jar: jar)

        #expect(flink.liveJobs(named: "ns/app").map(\.id) == [new])
        let stop = try #require(flink.effects.first { $0.operation == .stopWithSavepoint })
        let completed = try #require(flink.events.first {
            if case .savepointCompleted(_, .fixture("5"), location) = $0.kind { return true }
            return false
        })
        let finished = try #require(flink.events.first { $0.kind == .jobStateChanged(old, .finished) })
        let run = try #require(flink.effects.first {
            if case .runJar(_, let request) = $0.call { return request.savepointPath == location }
            return false
        })
        #expect(stop.sequence < completed.sequence)
        #expect(completed.sequence < finished.sequence)
        #expect(finished.sequence < run.sequence)
        #expect(flink.history.contains("stopWithSavepoint"))
    }

    @Test func liveJobsCountOnlyJobsNotGloballyTerminal() async throws {
        let flink = InMemoryFlink.fixture(slots: 8)
        let jar = try await flink.uploadedJar()
        let first = try await flink.runningJob(.streaming("ns/a"), jar: jar)
        let second = try await flink.runningJob(.streaming("ns/a"), jar: jar)
        _ = try await flink.runningJob(.streaming("ns/b"), jar: jar)
        #expect(flink.liveJobs(named: "ns/a").map(\.id) == [first, second])
        try await flink.cancelJob(first)
        #expect(flink.liveJobs(named: "ns/a").map(\.id) == [first, second], "CANCELLING is still live")
        flink.advance(by: .seconds(1))
        #expect(flink.liveJobs(named: "ns/a").map(\.id) == [second])
        #expect(flink.allJobs.count == 3)
    }
}
