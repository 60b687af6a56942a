import FlinkModel
import FlinkREST
import Testing

@Suite struct ClusterTests {
    @Test func theOverviewCountsSlotsAndJobsByState() async throws {
        let flink = InMemoryFlink(configuration: .init(taskManagers: 2, slotsPerTaskManager: 4))
        let jar = try await flink.uploadedJar()
        let running = try await flink.runningJob(.streaming("a", parallelism: 3), jar: jar)
        let cancelled = try await flink.runningJob(.streaming("b"), jar: jar)
        try await flink.cancelJob(cancelled)
        let failed = try await flink.runningJob(.streaming("c"), jar: jar)
        flink.failJob(failed, message: "boom")
        _ = try await flink.runJar(jar, .batch())
        flink.advance(by: .seconds(5))
        let overview = try await flink.clusterOverview()
        #expect(overview == ClusterOverview(
            taskManagers: 2, slotsTotal: 8, slotsAvailable: 5, jobsRunning: 1, jobsFinished: 1, jobsCancelled: 1,
            jobsFailed: 1, flinkVersion: "2.3.0", flinkCommit: "c0f8d1a"))
        #expect(flink.job(running)?.slots == 3)
    }

    @Test("the JobManager configuration names the scheduler only when adaptive", arguments: [
        InMemoryFlink.Scheduler.default, .adaptive,
    ])
    func configurationNamesTheAdaptiveScheduler(_ scheduler: InMemoryFlink.Scheduler) async throws {
        let flink = InMemoryFlink.fixture(scheduler: scheduler)
        let configuration = try await flink.jobManagerConfiguration()
        #expect(configuration.usesAdaptiveScheduler == (scheduler == .adaptive))
        #expect(configuration["jobmanager.rpc.address"] == "127.0.0.1")
        #expect(configuration["jobmanager.rpc.port"] == "6123")
        #expect(configuration["execution.checkpointing.dir"] == "file:/flink/checkpoints")
        #expect(configuration["execution.checkpointing.savepoint-dir"] == "file:/flink/savepoints")
    }

    @Test func aCancelledCallerGetsCancelledAndChangesNothing() async throws {
        let flink = InMemoryFlink.fixture()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await flinkError { _ = try await flink.uploadedJar() }
        }
        #expect(await task.value?.kind == "cancelled")
        #expect(flink.effects.isEmpty)
    }
}
