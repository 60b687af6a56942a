import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// Savepoints, stop-with-savepoint, restore and disposal on the real local Flink 2.3 session cluster.
@Suite("Savepoints on a real Flink", .timeLimit(.minutes(5)))
struct SavepointIntegrationTests {
    @Test func savepointIsWrittenToDiskAndDisposalDeletesIt() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: jobID)) { id in
            try await flink.awaitAllTasksRunning(id)
            let trigger = try await flink.client.triggerSavepoint(of: id)
            let status = try await flink.client.awaitSavepoint(of: id, trigger: trigger, timeout: .seconds(60))
            guard case .completed(let location) = status else {
                Issue.record("savepoint failed: \(status)")
                return
            }
            let directory = LiveFlink.localPath(of: location)
            #expect(directory.contains("savepoint-\(id.hexString.prefix(6))-"))
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue)
            #expect(FileManager.default.fileExists(atPath: directory + "/_metadata"))
            #expect(try await flink.client.jobStatus(id) == .running, "a plain savepoint keeps the job running")

            let statistics = try await poll("the savepoint in the checkpoint statistics") {
                try await flink.client.checkpointStatistics(id).flatMap { $0.latest.savepoint == nil ? nil : $0 }
            }
            #expect(statistics.latest.savepoint?.externalPath == location)

            let disposal = try await flink.client.disposeSavepoint(at: location)
            let disposed = try await poll("disposal of \(location)") {
                let status = try await flink.client.savepointDisposalStatus(trigger: disposal)
                return status == .inProgress ? nil : status
            }
            #expect(disposed == .completed)
            #expect(!FileManager.default.fileExists(atPath: directory))

            let again = try await flink.client.disposeSavepoint(at: location)
            let secondResult = try await poll("second disposal of \(location)") {
                let status = try await flink.client.savepointDisposalStatus(trigger: again)
                return status == .inProgress ? nil : status
            }
            guard case .failed(let cause) = secondResult else {
                Issue.record("disposing of a deleted savepoint must fail, got \(secondResult)")
                return
            }
            #expect(cause.isMissingSavepoint, "\(cause.summary)")
        }
    }

    @Test func stopWithSavepointFinishesTheJobAndAResubmissionRestoresFromIt() async throws {
        let flink = try await LiveFlink.shared()
        let firstID = FlinkTestCluster.uniqueJobID()
        let location: String = try await flink.withJob(flink.streamingRequest(jobID: firstID)) { id in
            try await flink.awaitAllTasksRunning(id)
            let trigger = try await flink.client.stopWithSavepoint(id, triggerID: .random())
            let status = try await flink.client.awaitSavepoint(of: id, trigger: trigger)
            guard case .completed(let location) = status else {
                throw FlinkTestSupportError.pollTimedOut(what: "stop with savepoint: \(status)", timeout: .zero, lastError: nil)
            }
            try await flink.awaitState(id, .finished)
            #expect(FileManager.default.fileExists(atPath: LiveFlink.localPath(of: location) + "/_metadata"))
            return location
        }

        let secondID = FlinkTestCluster.uniqueJobID()
        try await flink.withJob(flink.streamingRequest(jobID: secondID, savepointPath: location)) { id in
            try await flink.awaitAllTasksRunning(id)
            let statistics = try await poll("restore of job \(id) reported") {
                try await flink.client.checkpointStatistics(id).flatMap { $0.latest.restored == nil ? nil : $0 }
            }
            #expect(statistics.counts.restored >= 1)
            let restored = try #require(statistics.latest.restored)
            #expect(restored.isSavepoint)
            #expect(restored.externalPath.map(LiveFlink.localPath(of:)) == LiveFlink.localPath(of: location))
        }
    }

    @Test func sameTriggerIDTwiceTakesOneSavepoint() async throws {
        let flink = try await LiveFlink.shared()
        let jobID = FlinkTestCluster.uniqueJobID()
        // Slow snapshots keep the savepoint in progress while the trigger is repeated.
        let request = flink.streamingRequest(jobID: jobID, arguments: ["--snapshot-delay-ms", "1500"])
        try await flink.withJob(request) { id in
            try await flink.awaitAllTasksRunning(id)
            let trigger = FlinkTriggerID.random()
            #expect(try await flink.client.triggerSavepoint(of: id, triggerID: trigger) == trigger)
            #expect(try await flink.client.triggerSavepoint(of: id, triggerID: trigger) == trigger)
            let status = try await flink.client.awaitSavepoint(of: id, trigger: trigger)
            guard case .completed(let location) = status else {
                Issue.record("savepoint failed: \(status)")
                return
            }
            // A repeat after completion returns the same operation and result.
            #expect(try await flink.client.triggerSavepoint(of: id, triggerID: trigger) == trigger)
            #expect(try await flink.client.savepointStatus(of: id, trigger: trigger) == .completed(location: location))

            let parent = (LiveFlink.localPath(of: location) as NSString).deletingLastPathComponent
            let prefix = "savepoint-\(id.hexString.prefix(6))-"
            let savepoints = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(prefix) }
            #expect(savepoints.count == 1, "\(savepoints)")
        }
    }

    @Test func savepointOfAnUnknownJobIsAcceptedButFails() async throws {
        let flink = try await LiveFlink.shared()
        let unknown = FlinkTestCluster.uniqueJobID()
        let trigger = try await flink.client.triggerSavepoint(of: unknown)
        let status = try await flink.client.awaitSavepoint(of: unknown, trigger: trigger, timeout: .seconds(30))
        guard case .failed(let cause) = status else {
            Issue.record("expected a failure, got \(status)")
            return
        }
        #expect(cause.isJobNotFound)
    }
}
