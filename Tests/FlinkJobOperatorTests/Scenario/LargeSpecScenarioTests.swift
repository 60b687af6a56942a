import FlinkModel
import FlinkREST
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

/// A SQL job whose statements live in a ConfigMap follows the ConfigMap's content, not only the spec.
@Suite struct ReferencedContentScenarioTests {
    @Test func changingTheReferencedConfigMapUpgradesTheJobThroughASavepoint() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        let maps = world.client.resources(ConfigMap.self, namespace: ScenarioWorld.namespace)
        _ = try await maps.create(ConfigMap(
            metadata: ObjectMeta(name: "queries", namespace: ScenarioWorld.namespace),
            data: ["job.sql": "CREATE TABLE src (x INT); INSERT INTO sink SELECT x FROM src"]))
        var job = world.streamingJob("sql")
        job.spec.artifact = .init(sql: .init(configMapRef: .init(name: "queries", key: "job.sql")))
        try await world.create(job)
        let first = try await world.settle("sql") { $0.status?.phase == .running }
        let firstID = try #require(first.status?.job?.id)

        // Nothing changed: steady passes never redeploy.
        for _ in 0..<3 {
            try await world.reconcile("sql")
            world.advance(by: .seconds(1))
        }
        #expect(try await world.job("sql").status?.job?.id == firstID)

        var map = try await maps.get("queries")
        map.data?["job.sql"] = "CREATE TABLE src (x INT); INSERT INTO sink SELECT x * 2 FROM src"
        _ = try await maps.replace(map)
        let upgraded = try await world.settle("sql", passes: 60) {
            $0.status?.phase == .running && $0.status?.job?.id != firstID
        }
        #expect(upgraded.status?.job?.restoredFrom?.contains("savepoint-") == true)
        #expect(world.liveFlinkJobs("sql").count == 1)
        let runs = world.effects.compactMap { effect -> JarRunRequest? in
            if case .runJar(_, let request) = effect.call { return request }
            return nil
        }
        #expect(runs.last?.programArguments?.contains { $0.contains("x * 2") } == true, "the new statements ran")
    }
}
