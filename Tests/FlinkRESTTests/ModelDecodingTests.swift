import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// What the typed models carry from recorded Flink 2.3 responses (pure, no Flink).
@Suite("Typed models of recorded responses")
struct ModelDecodingTests {
    let jobID = FixtureDecodingTests.jobID
    let triggerID = FixtureDecodingTests.triggerID

    func client(_ fixture: String, status: Int = 200) throws -> FlinkRESTClient {
        try FixtureDecodingTests.client(try CannedHTTPClient(status: status, fixture: fixture))
    }

    @Test func clusterOverviewCarriesSlotsTaskManagersAndVersion() async throws {
        let overview = try await client("overview").clusterOverview()
        #expect(overview.taskManagers == 1)
        #expect(overview.slotsTotal == 4)
        #expect(overview.slotsAvailable == 4)
        #expect(overview.flinkVersion == "2.3.0")
    }

    @Test func dashboardConfigurationCarriesTheFlinkVersion() async throws {
        let config = try await client("config").dashboardConfiguration()
        #expect(config.flinkVersion == "2.3.0")
        #expect(config.refreshInterval == 500)
        #expect(config.features?.webSubmit == true)
    }

    @Test func jobManagerConfigurationTellsWhetherTheAdaptiveSchedulerRuns() async throws {
        let adaptive = try await client("jobmanager-config-adaptive").jobManagerConfiguration()
        #expect(adaptive.usesAdaptiveScheduler)
        #expect(adaptive.scheduler == "adaptive")
        let standard = try await client("jobmanager-config").jobManagerConfiguration()
        #expect(!standard.usesAdaptiveScheduler)
        #expect(standard["rest.bind-address"] == "127.0.0.1")
    }

    @Test func taskManagersCarrySlots() async throws {
        let managers = try await client("taskmanagers").taskManagers()
        #expect(managers.count == 1)
        #expect(managers.first?.slotsNumber == 4)
        #expect(managers.first?.freeSlots == 4)
    }

    @Test func jarListShowsEntryPointsOnlyForJarsWithAMainClass() async throws {
        let jars = try await client("jars-list").listJars()
        #expect(jars.count == 3)
        #expect(jars.filter { $0.name == "testjobs.jar" }.allSatisfy { $0.entry.isEmpty })
        let streaming = try #require(jars.first { $0.name == "streaming-job.jar" })
        #expect(streaming.entry.map(\.name) == ["io.jobcontroller.testjobs.StreamingJob"])
        #expect(try await client("jars-list-empty").listJars().isEmpty)
    }

    @Test func uploadReturnsTheStoredFileNameAsJarID() async throws {
        let jar = try await client("jars-upload").uploadJar(at: #filePath, fileName: "testjobs.jar")
        #expect(jar.id == "aef7c6b8-1905-43ce-8353-44df4ceb5a39_testjobs.jar")
        #expect(jar.path.hasSuffix("/flink-web-upload/" + jar.id))
    }

    @Test func runReturnsTheSubmittedJobID() async throws {
        let id = try await client("jars-run").runJar("x.jar", JarRunRequest(jobID: jobID))
        #expect(id == jobID)
    }

    @Test func runningJobDetailsCarryVerticesParallelismAndTaskCounts() async throws {
        let details = try await client("job-details-running").jobDetails(jobID)
        #expect(details.id == jobID)
        #expect(details.state == .running)
        #expect(details.jobType == "STREAMING")
        #expect(details.vertices.map(\.id) == ["5e88ece2919d586b37df09cd1e46276a", "5b61d6019ab04da71a4e62533c1a8c40"])
        #expect(details.vertices.allSatisfy { $0.parallelism == 2 && $0.tasks.running == 2 && $0.maxParallelism == 128 })
        #expect(details.taskCounts.total == 4)
        #expect(details.taskCounts.allRunning)
        #expect(details.taskCounts.pending == 0)
        #expect(details.taskCounts.allRunningOrFinished)
        #expect(details.vertexStateCounts.running == 2, "status-counts counts vertices")
        #expect(details.vertex(id: "5e88ece2919d586b37df09cd1e46276a")?.name == "Source: generator")
    }

    @Test func jobsWaitingForSlotsAreRunningWithPendingTasks() async throws {
        let jobs = try await client("jobs-overview-waiting-for-slots").jobsOverview()
        let waiting = try #require(jobs.first { $0.id == FlinkJobID("d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1") })
        #expect(waiting.state == .running)
        #expect(waiting.tasks.scheduled == 16)
        #expect(waiting.tasks.pending == 16)
        #expect(!waiting.tasks.allRunning)
        #expect(!waiting.tasks.allRunningOrFinished)
        let cancelled = try #require(jobs.first { $0.id == FlinkJobID("d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0") })
        #expect(cancelled.state == .canceled)
        #expect(cancelled.state.isGloballyTerminal)
    }

    @Test func taskCountsTellRunningWithFinishedSubtasksFromWaiting() {
        let scaledUp = JobTaskCounts(running: 3, finished: 1)
        #expect(scaledUp.total == 4)
        #expect(!scaledUp.allRunning)
        #expect(scaledUp.allRunningOrFinished)
        let done = JobTaskCounts(finished: 4)
        #expect(!done.allRunningOrFinished, "nothing runs any more")
        let failing = JobTaskCounts(running: 3, failed: 1)
        #expect(!failing.allRunningOrFinished)
        #expect(JobTaskCounts(created: 1, scheduled: 2, deploying: 3, initializing: 4, running: 5).pending == 10)
    }

    @Test func jobListAndApplicationsOverviewDecode() async throws {
        let jobs = try await client("jobs-list").listJobs()
        #expect(jobs == [JobIdentity(id: jobID, state: .running)])
        let applications = try await client("applications-overview").applicationsOverview()
        #expect(applications.count == 5)
        #expect(applications.first?.jobs == ["FINISHED": 1])
    }

    @Test func jobStatusDecodesAndUnknownStatesSurvive() async throws {
        #expect(try await client("job-status").jobStatus(jobID) == .running)
        #expect(try await client("job-status-finished").jobStatus(jobID) == .finished)
        let future = try CannedHTTPClient(status: 200, body: Data(#"{"status":"TELEPORTING"}"#.utf8))
        let state = try await FixtureDecodingTests.client(future).jobStatus(jobID)
        #expect(state.rawValue == "TELEPORTING")
        #expect(!state.isGloballyTerminal)
    }

    @Test func failedExecutionResultCarriesTheProgramsExceptionInItsSummary() async throws {
        let status = try await client("execution-result-failed").jobExecutionResult(jobID)
        guard case .completed(let result) = status else {
            Issue.record("expected a completed result, got \(status)")
            return
        }
        #expect(result.applicationStatus == .failed)
        let cause = try #require(result.failureCause)
        #expect(cause.className == "org.apache.flink.runtime.JobException")
        #expect(cause.summary.contains("BatchJob failed on purpose"))
        #expect(cause.summary.utf8.count <= FlinkErrorText.defaultLimit)
    }

    @Test func executionResultIsInProgressOrSucceeded() async throws {
        #expect(try await client("execution-result-in-progress").jobExecutionResult(jobID) == .inProgress)
        guard case .completed(let result) = try await client("execution-result-succeeded").jobExecutionResult(jobID)
        else {
            Issue.record("expected a completed result")
            return
        }
        #expect(result.applicationStatus == .succeeded)
        #expect(result.failureCause == nil)
        #expect(result.netRuntime == 632)
    }

    @Test func exceptionHistoryKeepsTheUsersExceptionInConcurrentExceptions() async throws {
        let history = try await client("job-exceptions-failed").jobExceptions(jobID)
        let global = try #require(history.entries.first)
        #expect(global.exceptionName == "org.apache.flink.runtime.JobException")
        let task = try #require(global.concurrentExceptions?.first)
        #expect(task.summary == "java.lang.IllegalStateException: BatchJob failed on purpose")
        #expect(task.taskName?.hasPrefix("Source: Sequence Source") == true)
        #expect(!history.truncated)
    }

    @Test func checkpointStatisticsShowTheRestoreFromASavepoint() async throws {
        let statistics = try #require(try await client("checkpoints-restored").checkpointStatistics(jobID))
        #expect(statistics.counts.restored == 1)
        #expect(statistics.counts.completed == 2)
        let restored = try #require(statistics.latest.restored)
        #expect(restored.isSavepoint)
        #expect(restored.externalPath?.contains("/savepoints/savepoint-a1a1a1-") == true)
        #expect(statistics.latest.completed?.id == 41)
        #expect(statistics.latest.savepoint == nil)
    }

    @Test func runningCheckpointsHaveAnExternalPathAndNoRestore() async throws {
        let statistics = try #require(try await client("checkpoints-running").checkpointStatistics(jobID))
        #expect(statistics.latest.restored == nil)
        #expect(statistics.latest.completed?.externalPath?.hasSuffix("/chk-13") == true)
        #expect(statistics.latest.completed?.isSavepoint == false)
    }

    @Test func checkpointConfigurationDecodes() async throws {
        let config = try #require(try await client("checkpoint-config").checkpointConfiguration(jobID))
        #expect(config.interval == 1000)
        #expect(config.mode == "exactly_once")
        #expect(config.externalization.enabled == false)
        #expect(config.stateBackend == "HashMapStateBackend")
    }

    @Test func savepointStatusSeparatesLocationFromFailureCause() async throws {
        #expect(try await client("savepoint-in-progress").savepointStatus(of: jobID, trigger: triggerID) == .inProgress)
        let completed = try await client("savepoint-completed").savepointStatus(of: jobID, trigger: triggerID)
        #expect(completed == .completed(location: "file:/srv/flink-job-controller/.flink/default/savepoints/savepoint-a1a1a1-fd9f79d8026d"))
        guard case .failed(let cause) = try await client("savepoint-failed").savepointStatus(of: jobID, trigger: triggerID)
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(cause.summary.contains("CheckpointException"))
        #expect(!cause.isJobNotFound)
        guard case .failed(let gone) = try await client("savepoint-unknown-job-failed").savepointStatus(of: jobID, trigger: triggerID)
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(gone.isJobNotFound)
        guard case .completed(let location) = try await client("stop-completed").savepointStatus(of: jobID, trigger: triggerID)
        else {
            Issue.record("expected a location")
            return
        }
        #expect(location.contains("savepoint-a1a1a1-"))
    }

    @Test func triggersReturnTheRequestID() async throws {
        let trigger = try await client("savepoint-trigger-with-trigger-id", status: 202).triggerSavepoint(of: jobID)
        #expect(trigger.hexString.count == 32)
        let stop = try await client("stop-trigger", status: 202).stopWithSavepoint(jobID)
        #expect(stop.hexString.count == 32)
    }

    @Test func disposalStatusTellsCompletedFromMissingSavepoint() async throws {
        #expect(try await client("savepoint-disposal-completed").savepointDisposalStatus(trigger: triggerID) == .completed)
        guard case .failed(let cause) = try await client("savepoint-disposal-failed").savepointDisposalStatus(trigger: triggerID)
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(cause.isMissingSavepoint)
        #expect(cause.summary.contains("Could not dispose savepoint"))
        let trigger = try await client("savepoint-disposal-trigger").disposeSavepoint(at: "file:/tmp/x")
        #expect(trigger == FlinkTriggerID("65bf2b7f323024253503a2d149ce9049"))
    }

    @Test func backpressureIsUnavailableUntilMeasuredThenCarriesLevels() async throws {
        let vertex = FlinkTestJobs.streamingSourceVertexID
        #expect(try await client("backpressure-no-metrics-yet").backpressure(of: jobID, vertex: vertex) == .unavailable)
        guard case .measured(let high) = try await client("backpressure").backpressure(of: jobID, vertex: vertex) else {
            Issue.record("expected a measurement")
            return
        }
        #expect(high.level == .high)
        #expect(high.maxRatio == 1.0)
        guard case .measured(let low) = try await client("backpressure-low").backpressure(of: jobID, vertex: vertex) else {
            Issue.record("expected a measurement")
            return
        }
        #expect(low.level == .low)
        #expect(low.subtasks.first?.ratio == 0.387)
        guard case .measured(let busy) = try await client("backpressure-busy-operator").backpressure(of: jobID, vertex: vertex)
        else {
            Issue.record("expected a measurement")
            return
        }
        #expect(busy.level == .ok)
        #expect(busy.subtasks.first?.busyRatio == 0.999)
    }

    @Test func aRatioFlinkWritesAsNaNDecodesAsAbsent() async throws {
        // What Flink 2.3 answered in CI for subtasks that had just started.
        let body = #"{"status":"ok","backpressureLevel":"ok","end-timestamp":1796329213033,"subtasks":[{"subtask":0,"backpressureLevel":"ok","ratio":0.0,"idleRatio":0.0,"busyRatio":"NaN","backpressure-level":"ok"}]}"#
        let client = try FixtureDecodingTests.client(try CannedHTTPClient(status: 200, body: Data(body.utf8)))
        guard case .measured(let measured) = try await client.backpressure(of: jobID, vertex: "v") else {
            Issue.record("expected a measurement")
            return
        }
        #expect(measured.subtasks.first?.busyRatio == nil)
        #expect(measured.subtasks.first?.idleRatio == 0)
    }

    @Test func backpressureWithoutSubtaskMetricsYetIsUnavailableNotAServerError() async throws {
        // The shape Flink 2.3 answered (500) while a young job's subtask metrics were still missing.
        let body = #"{"errors":["Internal server error.","<Exception on server side:\njava.util.NoSuchElementException: No value present\n\tat java.base/java.util.OptionalDouble.getAsDouble(OptionalDouble.java:130)\n\nEnd of exception on server side>"]}"#
        let transport = CannedHTTPClient(status: 500, body: Data(body.utf8))
        let answer = try await FixtureDecodingTests.client(transport).backpressure(of: jobID, vertex: "v")
        #expect(answer == .unavailable)
    }

    @Test func resourceRequirementsMapVertexIDsToBounds() async throws {
        let requirements = try await client("resource-requirements").resourceRequirements(of: jobID)
        #expect(requirements.vertices.count == 2)
        #expect(requirements.vertices[FlinkTestJobs.streamingSourceVertexID] == .init(lowerBound: 1, upperBound: 1))
        let rescaled = requirements.withAllVertices(lowerBound: 1, upperBound: 3)
        let after = try await client("resource-requirements-after-put").resourceRequirements(of: jobID)
        #expect(rescaled == after)
    }

    @Test func jobIDsAndTriggerIDsAcceptOnly32HexDigits() {
        #expect(FlinkJobID("A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1")?.hexString == "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1")
        #expect(FlinkJobID("xyz") == nil)
        #expect(FlinkJobID(String(repeating: "g", count: 32)) == nil)
        #expect(FlinkJobID(String(repeating: "a", count: 33)) == nil)
        #expect(FlinkTriggerID("") == nil)
        #expect(FlinkJobID.random() != FlinkJobID.random())
        let uuid = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
        #expect(FlinkJobID(uuid: uuid).hexString == "e621e1f8c36c495a93fc0c247a3e6e5f")
    }
}
