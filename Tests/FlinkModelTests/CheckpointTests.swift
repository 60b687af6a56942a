import FlinkModel
import FlinkREST
import Testing

@Suite struct CheckpointTests {
    @Test func checkpointsCompleteAtTheIntervalUnderTheJobsDirectory() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        let id = try await flink.runningJob(
            .streaming(jobID: .fixture("c"), checkpointInterval: "10 s").with("execution.checkpointing.dir", "file:///ckp"),
            jar: jar)
        let runningAt = flink.now
        flink.advance(by: .milliseconds(9999))
        #expect(try await flink.checkpointStatistics(id)?.counts.completed == 0)
        flink.advance(by: .milliseconds(1))
        flink.advance(by: .seconds(20))
        let statistics = try #require(try await flink.checkpointStatistics(id))
        #expect(statistics.counts.completed == 3)
        #expect(statistics.counts.total == 3)
        #expect(statistics.latest.completed?.id == 3)
        #expect(statistics.latest.completed?.triggerTimestamp == runningAt + 30_000)
        #expect(statistics.latest.completed?.externalPath == "file:/ckp/\(id)/chk-3")
        #expect(statistics.latest.completed?.isSavepoint == false)
        #expect(statistics.latest.savepoint == nil)
        #expect(statistics.latest.restored == nil)
    }

    @Test func onlyTheNewestCheckpointIsRetainedInStorage() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming(jobID: .fixture("c")))
        flink.advance(by: .seconds(35))
        #expect(flink.storagePaths == ["file:/flink/checkpoints/\(id)/chk-3"])
        let deleted = flink.events.compactMap { event -> String? in
            if case .snapshotDeleted(let path) = event.kind { return path }
            return nil
        }
        #expect(deleted == ["file:/flink/checkpoints/\(id)/chk-1", "file:/flink/checkpoints/\(id)/chk-2"])
    }

    @Test("checkpoint ids continue after the id of the snapshot a job was started from", arguments: [
        (StoredSnapshot.Kind.savepoint, Int64(39)), (.checkpoint, 7), (.savepoint, 1000),
    ])
    func checkpointIDsContinueAfterTheRestoredSnapshot(_ kind: StoredSnapshot.Kind, _ restoredID: Int64) async throws {
        let flink = InMemoryFlink.fixture()
        let path = kind == .savepoint ? "file:/flink/savepoints/savepoint-a1a1a1-c80aff739297" : "file:/ckp/old/chk-\(restoredID)"
        flink.storeSnapshot(StoredSnapshot(path: path, kind: kind, checkpointID: restoredID))
        let id = try await flink.runningJob(.streaming().restoring(from: path))
        flink.advance(by: .seconds(20))
        let statistics = try #require(try await flink.checkpointStatistics(id))
        #expect(statistics.counts.restored == 1)
        #expect(statistics.latest.restored?.id == restoredID)
        #expect(statistics.latest.restored?.isSavepoint == true)
        #expect(statistics.latest.restored?.externalPath == path)
        #expect(statistics.latest.completed?.id == restoredID + 2)
        // Restored under NO_CLAIM: Flink never deletes the snapshot.
        #expect(flink.storagePaths.contains(path))
    }

    @Test func aSnapshotRestoredInClaimModeIsDeletedOnceANewerCheckpointExists() async throws {
        let flink = InMemoryFlink.fixture()
        let path = "file:/ckp/old/chk-4"
        flink.storeSnapshot(StoredSnapshot(path: path, kind: .checkpoint, checkpointID: 4))
        let id = try await flink.runningJob(.streaming().restoring(from: path, claimMode: .claim))
        #expect(flink.storagePaths.contains(path))
        flink.advance(by: .seconds(10))
        #expect(flink.storagePaths == ["file:/flink/checkpoints/\(id)/chk-5"])
    }

    /// How a job ends, and whether its retained checkpoint survives under each retention setting.
    struct RetentionCase: Sendable, CustomTestStringConvertible {
        var retention: String?
        var ending: String
        var survives: Bool
        var testDescription: String { "\(retention ?? "default") on \(ending): \(survives ? "kept" : "deleted")" }
    }

    static let retentionCases = [
        RetentionCase(retention: "RETAIN_ON_CANCELLATION", ending: "cancel", survives: true),
        RetentionCase(retention: "RETAIN_ON_CANCELLATION", ending: "fail", survives: true),
        RetentionCase(retention: "RETAIN_ON_CANCELLATION", ending: "jobManagerRestart", survives: true),
        RetentionCase(retention: "DELETE_ON_CANCELLATION", ending: "cancel", survives: false),
        RetentionCase(retention: "DELETE_ON_CANCELLATION", ending: "fail", survives: true),
        RetentionCase(retention: "DELETE_ON_CANCELLATION", ending: "jobManagerRestart", survives: false),
        RetentionCase(retention: nil, ending: "cancel", survives: false),
        RetentionCase(retention: nil, ending: "fail", survives: false),
        RetentionCase(retention: nil, ending: "jobManagerRestart", survives: false),
    ]

    @Test("a retained checkpoint survives the job's end as its retention says", arguments: retentionCases)
    func retainedCheckpointSurvivesAsRetentionSays(_ testCase: RetentionCase) async throws {
        let flink = InMemoryFlink.fixture()
        var request = JarRunRequest.streaming().with("restart-strategy.type", "none")
        request.flinkConfiguration?["execution.checkpointing.externalized-checkpoint-retention"] = testCase.retention
        let id = try await flink.runningJob(request)
        flink.advance(by: .seconds(10))
        let path = "file:/flink/checkpoints/\(id)/chk-1"
        #expect(flink.storagePaths == [path])
        switch testCase.ending {
        case "cancel": try await flink.cancelJob(id)
        case "fail": flink.failTasks(of: id, message: "boom")
        default: flink.restartJobManager(keepJars: true)
        }
        flink.advance(by: .seconds(1))
        #expect(flink.storagePaths.contains(path) == testCase.survives)
    }

    @Test func injectedCheckpointFailuresTakeIDsAndAreCounted() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        flink.failCheckpoints(of: id, count: 2)
        flink.advance(by: .seconds(30))
        let statistics = try #require(try await flink.checkpointStatistics(id))
        #expect(statistics.counts.failed == 2)
        #expect(statistics.counts.completed == 1)
        #expect(statistics.latest.failed?.id == 2)
        #expect(statistics.latest.completed?.id == 3)
        #expect(try await flink.jobStatus(id) == .running)
        #expect(try await flink.jobMetrics(id, names: ["numberOfFailedCheckpoints"]) == ["numberOfFailedCheckpoints": "2"])
    }

    @Test func aJobWithoutCheckpointingHasNoStatisticsAndAnUnknownJobIsNotFound() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming(checkpointInterval: nil))
        #expect(try await flink.checkpointStatistics(id) == nil)
        #expect(await flinkError { _ = try await flink.checkpointStatistics(.fixture("9")) }?.kind == "notFound")
    }

    @Test func aFailoverRestoresFromTheLatestCheckpointAndIDsKeepGrowing() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        flink.advance(by: .seconds(20))
        flink.failTasks(of: id, message: "boom")
        #expect(try await flink.jobStatus(id) == .restarting)
        #expect(flink.advance(until: { $0.tasksRunning(id) }, within: .seconds(5)))
        flink.advance(by: .seconds(10))
        let statistics = try #require(try await flink.checkpointStatistics(id))
        #expect(statistics.counts.restored == 1)
        #expect(statistics.latest.restored?.id == 2)
        #expect(statistics.latest.restored?.isSavepoint == false)
        #expect(statistics.latest.completed?.id == 3)
    }
}
