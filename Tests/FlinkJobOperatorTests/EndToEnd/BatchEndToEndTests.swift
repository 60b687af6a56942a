import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import Kubernetes
import Testing

/// Batch FlinkJobs end to end: the operator binary, the emulator and real Flink, with a clock the test steps
/// through cron schedules (shared with the emulator and handed to the operator through `FJC_TEST_CLOCK_FILE`).
@Suite(.serialized) struct BatchEndToEndTests {
    static let start = Date(timeIntervalSince1970: 1_893_456_030)  // 2030-01-01T00:00:30Z

    func minute(_ m: Int, second: Int = 5) -> Date {
        Date(timeIntervalSince1970: 1_893_456_000 + Double(m * 60 + second))
    }

    func withBatchEnvironment(
        _ body: (EndToEndEnvironment, SteppedClock, inout [OperatorUnderTest]) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory
        let clock = try SteppedClock(directory: directory, start: Self.start)
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared(), clock: clock)
        var operators: [OperatorUnderTest] = []
        do {
            try await body(environment, clock, &operators)
        } catch {
            for op in operators { Issue.record("operator log tail (\(op.logFile.lastPathComponent)):\n\(op.tail())") }
            for op in operators where op.isRunning { _ = try? await op.terminate() }
            await environment.stop()
            throw error
        }
        for op in operators where op.isRunning { _ = try? await op.terminate() }
        await environment.stop()
        try? FileManager.default.removeItem(at: clock.file)
    }

    func startOperator(_ environment: EndToEndEnvironment, _ clock: SteppedClock, name: String = "operator")
        throws -> OperatorUnderTest
    {
        try OperatorUnderTest.start(environment, name: name, extraEnvironment: ["FJC_TEST_CLOCK_FILE": clock.file.path])
    }

    @Test func scheduledRunsSucceedUntilMaxRunsAndHistoryIsPruned() async throws {
        try await withBatchEnvironment { environment, clock, operators in
            operators.append(try startOperator(environment, clock))
            let name = EndToEndEnvironment.uniqueName("hourly")
            let created = try await environment.jobs.create(environment.batchJob(
                name, batch: .init(schedule: "* * * * *", timeZone: "Europe/Berlin", maxRuns: 3, successfulRunsHistoryLimit: 2)))
            let uid = try #require(created.metadata.uid)
            let scheduled = try await environment.waitFor(name, "Scheduled") { $0.status?.state == .scheduled ? $0 : nil }
            #expect(scheduled.status?.runs?.nextScheduleTime == KubeTime(minute(1, second: 0)))
            #expect(scheduled.status?.runs?.count ?? 0 == 0)

            for run in 1...3 {
                try clock.set(minute(run))
                let done = try await environment.waitFor(name, "run \(run) succeeded", timeout: .seconds(120)) { job in
                    job.status?.runs?.history?.first.flatMap { $0.run == Int64(run) && $0.result == .succeeded ? job : nil }
                }
                #expect(done.status?.runs?.lastScheduleTime == KubeTime(minute(run, second: 0)))
                let id = try #require(FlinkJobID(DeploymentIdentity.runJobID(uid: uid, run: Int64(run))))
                #expect(try await environment.flinkClient.jobStatus(id) == .finished)
            }
            let complete = try await environment.waitFor(name, "complete after maxRuns") { job in
                job.status?.state == .succeeded ? job : nil
            }
            #expect(complete.status?.conditions?.first { $0.type == "Succeeded" }?.reason == "MaxRunsReached")
            #expect(complete.status?.runs?.history?.map(\.run) == [3, 2], "successfulRunsHistoryLimit 2 prunes run 1")
            #expect(complete.status?.runs?.nextScheduleTime == nil)

            try clock.set(minute(4))
            try await Task.sleep(for: .seconds(4))
            #expect(try await environment.jobs.get(name).status?.runs?.count == 3)
            #expect(try await environment.flinkJobs(named: name).count == 3)
        }
    }

    @Test func forbidSkipsWhileARunIsActiveAndReplaceCancelsIt() async throws {
        try await withBatchEnvironment { environment, clock, operators in
            operators.append(try startOperator(environment, clock))
            let name = EndToEndEnvironment.uniqueName("slow")
            defer { Task { await environment.cancelFlinkJobs(named: name) } }
            _ = try await environment.jobs.create(environment.batchJob(
                name, args: ["--records", "2000", "--sleep-ms", "60000"],
                batch: .init(schedule: "* * * * *", concurrencyPolicy: .forbid)))
            _ = try await environment.waitFor(name, "Scheduled") { $0.status?.state == .scheduled ? $0 : nil }
            try clock.set(minute(1))
            _ = try await environment.waitFor(name, "run 1 running in Flink") { job in
                job.status?.runs?.active?.first?.flinkState == "RUNNING" ? job : nil
            }

            try clock.set(minute(2))
            let skipped = try await environment.waitFor(name, "the minute-2 run skipped") { job in
                (job.status?.runs?.missedCount ?? 0) >= 1 ? job : nil
            }
            #expect(skipped.status?.runs?.active?.map(\.run) == [1])
            #expect(skipped.status?.runs?.count == 1)

            try await environment.editSpec(name) { $0.batch?.concurrencyPolicy = .replace }
            try clock.set(minute(3))
            let replaced = try await environment.waitFor(name, "run 1 replaced by run 2") { job in
                job.status?.runs?.active?.first?.run == 2 ? job : nil
            }
            #expect(replaced.status?.runs?.history?.first { $0.run == 1 }?.result == .canceled)
            let firstID = try #require(replaced.status?.runs?.history?.first { $0.run == 1 }?.jobId).flatMap(FlinkJobID.init)
            try await poll("run 1's Flink job cancelled") {
                try await environment.flinkClient.jobStatus(try #require(firstID)) == .canceled
            }
        }
    }

    @Test func oneShotRunsReportFailureDeadlineAndSurviveACrashAfterSubmitting() async throws {
        try await withBatchEnvironment { environment, clock, operators in
            // A failing run: Succeeded=False with Flink's message.
            let operatorA = try startOperator(environment, clock)
            operators.append(operatorA)
            let failing = EndToEndEnvironment.uniqueName("failing")
            _ = try await environment.jobs.create(environment.batchJob(failing, args: ["--fail", "true"]))
            let failed = try await environment.waitFor(failing, "Succeeded=False", timeout: .seconds(120)) { job in
                job.status?.conditions?.first { $0.type == "Succeeded" && $0.status == .false }
            }
            #expect(failed.message.contains(FlinkTestJobs.batchFailureMessage))

            // A run beyond activeDeadlineSeconds is cancelled.
            let late = EndToEndEnvironment.uniqueName("late")
            defer { Task { await environment.cancelFlinkJobs(named: late) } }
            _ = try await environment.jobs.create(environment.batchJob(
                late, args: ["--records", "2000", "--sleep-ms", "60000"], batch: .init(activeDeadlineSeconds: 10)))
            let running = try await environment.waitFor(late, "the run active") { job in
                job.status?.runs?.active?.first?.flinkState == "RUNNING" ? job : nil
            }
            try clock.set(clock.now.addingTimeInterval(11))
            let cancelled = try await environment.waitFor(late, "DeadlineExceeded") { job in
                job.status?.conditions?.first { $0.type == "Succeeded" && $0.reason == "DeadlineExceeded" }
            }
            #expect(cancelled.status == .false)
            let lateID = try #require(running.status?.runs?.active?.first?.jobId).flatMap(FlinkJobID.init)
            try await poll("the late run cancelled in Flink") {
                try await environment.flinkClient.jobStatus(try #require(lateID)) == .canceled
            }
            try await operatorA.terminate()

            // The operator dies (SIGKILL, through a proxy) the instant Flink accepted a run, before it has the
            // answer: the restarted one does not submit it again.
            let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60)))
            let crash = try await CrashOnAcceptedRun.start(in: environment.flink.restURL, http: http)
            defer { crash.stop() }
            try await environment.addCluster(named: "proxied", restURL: crash.url)
            let crashing = try startOperator(environment, clock, name: "crashing")
            operators.append(crashing)
            crash.arm(pid: crashing.pid)
            let once = EndToEndEnvironment.uniqueName("once")
            var manifest = environment.batchJob(once)
            manifest.spec.clusterRef = .init(name: "proxied")
            let created = try await environment.jobs.create(manifest)
            try await crashing.waitForExit(timeout: .seconds(90))
            #expect(crash.killCount == 1)
            operators.append(try startOperator(environment, clock, name: "restarted"))
            let succeeded = try await environment.waitFor(once, "Succeeded=True", timeout: .seconds(120)) { job in
                job.status?.conditions?.first { $0.type == "Succeeded" && $0.status == .true } != nil ? job : nil
            }
            #expect(succeeded.status?.runs?.count == 1)
            let expectedID = DeploymentIdentity.runJobID(uid: try #require(created.metadata.uid), run: 1)
            #expect(try await environment.flinkJobs(named: once).map(\.id.hexString) == [expectedID])
        }
    }
}
