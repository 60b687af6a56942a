import FlinkModel
import FlinkREST
import Testing

@Suite struct SavepointTests {
    @Test func aSavepointIsInProgressThenCompletedAtItsLocationAndTakesTheNextCheckpointID() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming(jobID: .fixture("a")))
        flink.advance(by: .seconds(10))
        let trigger = try await flink.triggerSavepoint(
            of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: .fixture("1"))
        #expect(trigger == .fixture("1"))
        #expect(try await flink.savepointStatus(of: id, trigger: trigger) == .inProgress)
        #expect(try await flink.checkpointStatistics(id)?.counts.inProgress == 1)
        flink.advance(by: .milliseconds(300))
        guard case .completed(let location) = try await flink.savepointStatus(of: id, trigger: trigger) else {
            Issue.record("expected a location")
            return
        }
        #expect(location.hasPrefix("file:/flink/savepoints/savepoint-aaaaaa-"))
        #expect(location.count == "file:/flink/savepoints/savepoint-aaaaaa-".count + 12)
        #expect(flink.storagePaths.contains(location))
        #expect(try await flink.jobStatus(id) == .running)
        let statistics = try #require(try await flink.checkpointStatistics(id))
        #expect(statistics.latest.savepoint?.id == 2)
        #expect(statistics.latest.savepoint?.externalPath == location)
        flink.advance(by: .seconds(10))
        #expect(try await flink.checkpointStatistics(id)?.latest.completed?.id == 3)
    }

    @Test func theSameTriggerIDForTheSameJobAnswersTheSameOperationWithoutASecondSavepoint() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        for _ in 0..<3 {
            let trigger = try await flink.triggerSavepoint(
                of: id, targetDirectory: "file:/sp", cancelJob: false, formatType: nil, triggerID: .fixture("7"))
            #expect(trigger == .fixture("7"))
            flink.advance(by: .seconds(1))
        }
        #expect(flink.storagePaths.filter { $0.hasPrefix("file:/sp/savepoint-") }.count == 1)
        #expect(try await flink.checkpointStatistics(id)?.counts.completed == 1)
        #expect(flink.effects.dropFirst().map(\.outcome) == [
            .submitted(id), .triggered(.fixture("7"), isNew: true), .triggered(.fixture("7"), isNew: false),
            .triggered(.fixture("7"), isNew: false),
        ])
    }

    @Test func aTriggerResultExpiresAndThenTheSameTriggerIDStartsANewSavepoint() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        _ = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: .fixture("7"))
        flink.advance(by: .seconds(301))
        #expect(await flinkError { _ = try await flink.savepointStatus(of: id, trigger: .fixture("7")) }?.kind == "notFound")
        _ = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: .fixture("7"))
        flink.advance(by: .seconds(1))
        #expect(flink.snapshots.count { $0.kind == .savepoint } == 2)
    }

    @Test func stopWithSavepointEndsTheJobFinishedWithALocation() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        let trigger = try await flink.stopWithSavepoint(id, targetDirectory: nil, drain: false, formatType: nil, triggerID: nil)
        #expect(try await flink.jobStatus(id) == .running)
        let status = try await flink.awaitSavepoint(id, trigger)
        guard case .completed(let location) = status else {
            Issue.record("expected a location, got \(status)")
            return
        }
        #expect(try await flink.jobStatus(id) == .finished)
        #expect(try await flink.jobDetails(id).taskCounts.finished == 2)
        #expect(flink.storagePaths.contains(location))
        guard case .completed(let result) = try await flink.jobExecutionResult(id) else {
            Issue.record("expected a result")
            return
        }
        #expect(result.applicationStatus == .succeeded)
    }

    @Test func aSavepointWithCancelEndsTheJobCanceled() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        let trigger = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: true, formatType: nil, triggerID: nil)
        guard case .completed = try await flink.awaitSavepoint(id, trigger) else {
            Issue.record("expected a savepoint")
            return
        }
        #expect(try await flink.jobStatus(id) == .canceled)
    }

    @Test("a savepoint of a job Flink does not run is accepted and fails with FlinkJobNotFoundException",
          arguments: ["unknown", "finished", "forgotten"])
    func savepointOfAJobFlinkDoesNotRunFails(_ situation: String) async throws {
        let flink = InMemoryFlink.fixture()
        var id = FlinkJobID.fixture("f")
        if situation != "unknown" {
            id = try await flink.runningJob(.streaming(jobID: id))
            try await flink.cancelJob(id)
            flink.advance(by: .seconds(1))
            if situation == "forgotten" { flink.restartJobManager(keepJars: true) }
        }
        for stop in [false, true] {
            let trigger = stop
                ? try await flink.stopWithSavepoint(id, targetDirectory: nil, drain: false, formatType: nil, triggerID: nil)
                : try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
            guard case .failed(let cause) = try await flink.savepointStatus(of: id, trigger: trigger) else {
                Issue.record("expected a failure")
                continue
            }
            #expect(cause.isJobNotFound)
            #expect(cause.summary.contains("Could not find Flink job (\(id))"))
        }
    }

    @Test func anUnknownTriggerIsNotFound() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        let error = await flinkError { _ = try await flink.savepointStatus(of: id, trigger: .fixture("0")) }
        #expect(error?.kind == "notFound")
        #expect(error?.message.contains("There is no savepoint operation with triggerId=") == true)
    }

    @Test func aFailingSavepointLeavesTheJobRunningAndAStopDoesNotStopIt() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        flink.failSavepoints(of: id, message: "Failed to create savepoint directory at file:/proc/x")
        let trigger = try await flink.stopWithSavepoint(id, targetDirectory: nil, drain: false, formatType: nil, triggerID: nil)
        guard case .failed(let cause) = try await flink.awaitSavepoint(id, trigger) else {
            Issue.record("expected a failure")
            return
        }
        #expect(cause.summary.contains("IO-problem detected"))
        #expect(cause.summary.contains("file:/proc/x"))
        #expect(try await flink.jobStatus(id) == .running)
        #expect(try await flink.checkpointStatistics(id)?.latest.failed?.isSavepoint == true)
    }

    @Test func aSavepointInProgressFailsWhenTheJobIsCancelled() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        let trigger = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
        try await flink.cancelJob(id)
        guard case .failed(let cause) = try await flink.savepointStatus(of: id, trigger: trigger) else {
            Issue.record("expected a failure")
            return
        }
        #expect(cause.summary.contains("Checkpoint Coordinator is suspending"))
    }

    @Test func aSavepointOfAJobWhoseTasksDoNotAllRunFailsAtOnce() async throws {
        let flink = InMemoryFlink.fixture(slots: 1)
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming(parallelism: 2))
        flink.advance(by: .seconds(1))
        let trigger = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
        guard case .failed(let cause) = try await flink.savepointStatus(of: id, trigger: trigger) else {
            Issue.record("expected a failure")
            return
        }
        #expect(cause.summary.contains("Not all required tasks are currently running"))
    }

    @Test func withoutAnySavepointDirectoryATriggerIsABadRequest() async throws {
        let flink = InMemoryFlink.fixture(savepointDirectory: nil)
        let id = try await flink.runningJob(.streaming())
        let error = await flinkError {
            _ = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
        }
        #expect(error?.kind == "badRequest")
        let trigger = try await flink.triggerSavepoint(
            of: id, targetDirectory: "file:///tmp/sp/", cancelJob: false, formatType: nil, triggerID: nil)
        guard case .completed(let location) = try await flink.awaitSavepoint(id, trigger) else {
            Issue.record("expected a location")
            return
        }
        #expect(location.hasPrefix("file:/tmp/sp/savepoint-"))
    }

    @Test func aJobsOwnSavepointDirectoryIsTheDefaultForItsSavepoints() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming().with("execution.checkpointing.savepoint-dir", "file:/team/sp"))
        let trigger = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
        guard case .completed(let location) = try await flink.awaitSavepoint(id, trigger) else {
            Issue.record("expected a location")
            return
        }
        #expect(location.hasPrefix("file:/team/sp/savepoint-"))
    }

    @Test func disposingRemovesTheSavepointAndAMissingPathFailsLikeFlink() async throws {
        let flink = InMemoryFlink.fixture()
        let path = "file:/flink/savepoints/savepoint-aaaaaa-000000000001"
        flink.storeSnapshot(StoredSnapshot(path: path, kind: .savepoint, checkpointID: 3))
        let first = try await flink.disposeSavepoint(at: path)
        #expect(try await flink.savepointDisposalStatus(trigger: first) == .completed)
        #expect(flink.storagePaths.isEmpty)
        let second = try await flink.disposeSavepoint(at: path)
        #expect(second != first)
        guard case .failed(let cause) = try await flink.savepointDisposalStatus(trigger: second) else {
            Issue.record("expected a failure")
            return
        }
        #expect(cause.isMissingSavepoint)
        #expect(await flinkError { _ = try await flink.savepointDisposalStatus(trigger: .fixture("0")) }?.kind == "notFound")
    }
}
