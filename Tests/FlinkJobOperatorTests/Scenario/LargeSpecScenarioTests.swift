import FlinkModel
import Foundation
import Kubernetes
import KubernetesEmulator
import Testing

@testable import FlinkJobOperator

/// Status must not multiply a large spec: the API server keeps objects up to etcd's 1.5 MiB, and an object whose
/// status write is refused is wedged (its deletion included, since the finalizer removal rides on status).
@Suite struct LargeSpecScenarioTests {
    /// A SQL job of about 600 KB: ten statements of 60 KB.
    static func bigSQL(_ world: ScenarioWorld, _ name: String, marker: String) -> FlinkJob {
        var job = world.streamingJob(name)
        let filler = String(repeating: "x", count: 60_000)
        let statements = (0..<10).map { "INSERT INTO sink_\($0) SELECT '\(marker)\(filler)' FROM src" }
        job.spec.artifact = .init(sql: .init(statements: statements))
        return job
    }

    @Test func aSixHundredKilobyteSpecIsAppliedUpgradedAndDeleted() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        let created = try await world.create(Self.bigSQL(world, "big", marker: "v1"))
        #expect(try JSONEncoder().encode(created.spec).count > 600_000)
        let running = try await world.settle("big") { $0.status?.phase == .running }
        #expect(running.status?.lastAppliedSpecHash != nil)
        #expect(running.status?.lastAppliedSpec == nil, "too big to copy into status: the hash is kept instead")
        let firstJob = try #require(running.status?.job?.id)

        // An upgrade: stop with a savepoint, run the new statements from it.
        var edited = try await world.job("big")
        edited.spec = Self.bigSQL(world, "big", marker: "v2").spec
        _ = try await world.jobsAPI.replace(edited)
        let upgraded = try await world.settle("big", passes: 60) {
            $0.status?.phase == .running && $0.status?.job?.id != firstJob
        }
        #expect(upgraded.status?.job?.restoredFrom?.contains("savepoint-") == true)
        #expect(world.liveFlinkJobs("big").count == 1)

        // Delete: a final savepoint, then the finalizer goes and so does the object.
        _ = try await world.jobsAPI.delete("big")
        for _ in 0..<40 {
            try await world.reconcile("big")
            if (try? await world.job("big")) == nil { break }
            world.advance(by: .milliseconds(500))
        }
        await #expect(throws: (any Error).self) { try await world.job("big") }
        #expect(world.liveFlinkJobs("big").isEmpty)
    }

    @Test func theEmulatorRefusesAnObjectOverEtcdsLimitAsARealServerDoes() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        var huge = Self.bigSQL(world, "huge", marker: "v1")
        huge.spec.artifact.sql?.statements = (0..<28).map { "SELECT '\(String(repeating: "y", count: 60_000))\($0)'" }
        await #expect(throws: (any Error).self) { try await world.create(huge) }
        do {
            _ = try await world.create(huge)
        } catch {
            #expect("\(error)".contains("etcdserver: request is too large"), "\(error)")
        }
    }
}
