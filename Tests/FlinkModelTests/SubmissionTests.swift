import FlinkModel
import FlinkREST
import Testing

@Suite struct SubmissionTests {
    @Test func aNewJobGoesFromInitializingThroughCreatedToRunningTasks() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming(jobID: .fixture("1"), parallelism: 2))
        #expect(id == .fixture("1"))
        #expect(try await flink.jobStatus(id) == .initializing)
        #expect(try await flink.jobDetails(id).vertices.isEmpty)
        flink.advance(by: .milliseconds(300))
        #expect(try await flink.jobStatus(id) == .created)
        #expect(try await flink.jobDetails(id).taskCounts.created == 4)
        flink.advance(by: .milliseconds(100))
        let deploying = try await flink.jobDetails(id)
        #expect(deploying.state == .running)
        #expect(deploying.taskCounts.deploying == 4)
        flink.advance(by: .milliseconds(400))
        let running = try await flink.jobDetails(id)
        #expect(running.taskCounts.allRunning)
        #expect(running.taskCounts.total == 4)
        #expect(running.vertices.map(\.parallelism) == [2, 2])
        #expect(running.vertices.map(\.name) == ProgramBehaviour.defaultVertexNames)
        #expect(running.vertexStateCounts.running == 2)
        #expect(running.timestamps["RUNNING"] == flink.configuration.startTime + 400)
        #expect(running.duration == 800)
        let overview = try await flink.jobsOverview()
        #expect(overview.map(\.id) == [id])
        #expect(overview.first?.tasks.running == 4)
        #expect(overview.first?.jobType == "STREAMING")
    }

    @Test func theJobIsNamedByPipelineNameUnlessTheProgramNamesIt() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let named = try await flink.runJar(jar, .streaming("team/orders"))
        var unnamed = JarRunRequest.streaming()
        unnamed.flinkConfiguration?["pipeline.name"] = nil
        let defaultName = try await flink.runJar(jar, unnamed)
        flink.setProgram(ProgramBehaviour(jobName: "streaming-a1"), for: .jarNameSuffix("named.jar"))
        let programJar = try await flink.uploadedJar("named.jar")
        let programNamed = try await flink.runJar(programJar, .streaming("team/ignored"))
        #expect(flink.job(named)?.name == "team/orders")
        #expect(flink.job(defaultName)?.name == "Flink Streaming Job")
        #expect(flink.job(programNamed)?.name == "streaming-a1")
    }

    @Test func aRunWithoutJobIDGetsAFreshID() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let first = try await flink.runJar(jar, .streaming())
        let second = try await flink.runJar(jar, .streaming())
        #expect(first != second)
    }

    /// How a job can end before its id is reused.
    enum Ending: String, CaseIterable, Sendable {
        case stillRunning, cancelled, stoppedWithSavepoint, failed, batchFinished
    }

    @Test("a job id the JobManager has seen is a duplicate, whatever became of the job", arguments: Ending.allCases)
    func aSeenJobIDIsADuplicate(_ ending: Ending) async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = FlinkJobID.fixture("d")
        let request: JarRunRequest = ending == .batchFinished ? .batch(jobID: id) : .streaming(jobID: id)
        _ = try await flink.runJar(jar, request)
        flink.advance(by: .seconds(1))
        switch ending {
        case .stillRunning: break
        case .cancelled: try await flink.cancelJob(id)
        case .stoppedWithSavepoint:
            _ = try await flink.stopWithSavepoint(id, targetDirectory: nil, drain: false, formatType: nil, triggerID: nil)
        case .failed: flink.failJob(id, message: "boom")
        case .batchFinished: break
        }
        flink.advance(by: .seconds(5))
        if ending != .stillRunning { #expect(flink.state(id)?.isGloballyTerminal == true) }
        let error = await flinkError { _ = try await flink.runJar(jar, request) }
        #expect(error?.kind == "duplicateJob")
        #expect(error?.message.contains("DuplicateApplicationSubmissionException") == true)
        #expect(flink.allJobs.count == 1)
    }

    @Test func aJobIDStaysUsedAfterTheEndedJobIsNoLongerListed() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = try await flink.runningJob(.streaming(jobID: .fixture("e")), jar: jar)
        try await flink.cancelJob(id)
        flink.advance(by: .seconds(3601))
        #expect(flink.job(id) == nil)
        #expect(await flinkError { _ = try await flink.jobDetails(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.runJar(jar, .streaming(jobID: id)) }?.kind == "duplicateJob")
    }

    @Test func aMissingSavepointPathIsABadRequestThatLeavesAFailedJobUnderTheRequestedID() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = FlinkJobID.fixture("f")
        let request = JarRunRequest.streaming(jobID: id).restoring(from: "file:///tmp/no-such-savepoint")
        let error = await flinkError { _ = try await flink.runJar(jar, request) }
        #expect(error?.kind == "badRequest")
        #expect(error?.message.contains("Cannot find checkpoint or savepoint file/directory 'file:///tmp/no-such-savepoint'") == true)
        #expect(try await flink.jobStatus(id) == .failed)
        #expect(try await flink.jobDetails(id).vertices.isEmpty)
        #expect(try await flink.jobExceptions(id).entries.first?.exceptionName
            == "org.apache.flink.runtime.client.JobInitializationException")
        guard case .completed(let result) = try await flink.jobExecutionResult(id) else {
            Issue.record("expected a result")
            return
        }
        #expect(result.applicationStatus == .failed)
        #expect(result.failureCause?.isMissingSavepoint == true)
        // The id is used up.
        #expect(await flinkError { _ = try await flink.runJar(jar, .streaming(jobID: id)) }?.kind == "duplicateJob")
    }

    @Test func aMissingSavepointPathWithoutJobIDLeavesAFailedJobUnderANewID() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let error = await flinkError { _ = try await flink.runJar(jar, .streaming().restoring(from: "file:/nope")) }
        #expect(error?.kind == "badRequest")
        #expect(flink.allJobs.map(\.state) == [.failed])
    }

    @Test func stateOfVerticesTheProgramLacksIsRefusedUnlessAllowed() async throws {
        let flink = InMemoryFlink.fixture()
        let path = "file:/flink/savepoints/savepoint-aaaaaa-000000000001"
        flink.storeSnapshot(StoredSnapshot(path: path, kind: .savepoint, checkpointID: 5, vertexIDs: ["0123"]))
        let jar = try await flink.uploadedJar()
        let refused = await flinkError {
            _ = try await flink.runJar(jar, .streaming(jobID: .fixture("1")).restoring(from: path))
        }
        #expect(refused?.kind == "badRequest")
        #expect(refused?.message.contains("--allowNonRestoredState") == true)
        #expect(flink.state(.fixture("1")) == .failed)
        let allowed = try await flink.runJar(
            jar, .streaming(jobID: .fixture("2")).restoring(from: path, allowNonRestoredState: true))
        #expect(flink.job(allowed)?.restoredFrom == path)
    }

    @Test func aJobRestoresFromAnyPathSpellingOfAStoredSnapshot() async throws {
        let flink = InMemoryFlink.fixture()
        flink.storeSnapshot(StoredSnapshot(path: "file:/sp/savepoint-aaaaaa-000000000001", kind: .savepoint, checkpointID: 1))
        let jar = try await flink.uploadedJar()
        let id = try await flink.runJar(jar, .streaming().restoring(from: "file:///sp/savepoint-aaaaaa-000000000001/"))
        #expect(flink.job(id)?.restoredFrom == "file:/sp/savepoint-aaaaaa-000000000001")
    }
}
