import FlinkModel
import FlinkREST
import Testing

@Suite struct JobManagerRestartTests {
    @Test("a JobManager restart forgets jobs, triggers and used ids but keeps storage", arguments: [true, false])
    func aRestartForgetsJobsButNotStorage(_ keepJars: Bool) async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = try await flink.runningJob(.streaming(jobID: .fixture("a")), jar: jar)
        flink.advance(by: .seconds(10))
        let trigger = try await flink.triggerSavepoint(of: id, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
        flink.advance(by: .seconds(1))
        let storedBefore = flink.storagePaths
        #expect(storedBefore.count == 2)

        flink.restartJobManager(keepJars: keepJars)

        #expect(try await flink.jobsOverview().isEmpty)
        #expect(await flinkError { _ = try await flink.jobDetails(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.jobStatus(id) }?.kind == "notFound")
        #expect(await flinkError { _ = try await flink.savepointStatus(of: id, trigger: trigger) }?.kind == "notFound")
        #expect(try await flink.clusterOverview().slotsAvailable == 4)
        #expect(flink.storagePaths == storedBefore)
        #expect(try await flink.listJars().map(\.id) == (keepJars ? [jar] : []))
        if keepJars {
            // The id may be used again: nothing remembers it.
            let again = try await flink.runJar(jar, .streaming(jobID: id).restoring(from: "file:/flink/checkpoints/\(id)/chk-1"))
            #expect(again == id)
            #expect(flink.advance(until: { $0.tasksRunning(id) }, within: .seconds(2)))
            flink.advance(by: .seconds(10))
            // Restored from chk-1: the counter continues at 2 (the savepoint's id 2 belonged to the forgotten run).
            #expect(try await flink.checkpointStatistics(id)?.latest.completed?.id == 2)
        } else {
            #expect(await flinkError { _ = try await flink.runJar(jar, .streaming(jobID: id)) }?.kind == "notFound")
        }
    }

    @Test func theRESTAPIIsUnreachableDuringTheRestartDowntime() async throws {
        let flink = InMemoryFlink.fixture()
        flink.restartJobManager(keepJars: true, downtime: .seconds(12))
        let error = await flinkError { _ = try await flink.clusterOverview() }
        #expect(error?.kind == "unreachable")
        #expect(error?.isTransient == true)
        #expect(await flinkError { _ = try await flink.uploadedJar() } != nil)
        #expect(flink.effects.isEmpty)
        flink.advance(by: .seconds(12))
        #expect(try await flink.clusterOverview().taskManagers == 1)
    }
}
