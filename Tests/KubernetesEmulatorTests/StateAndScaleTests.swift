import Foundation
import JSONCore
import KubernetesEmulator
import Testing

@Suite("State, history and scale")
struct StateAndScaleTests {
    @Test func aThousandObjectsListPaginateAndWatchWithinGenerousBounds() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let started = ContinuousClock.now
        for i in 0..<1000 {
            try emulator.create(Fixtures.flinkJobs, namespace: i % 2 == 0 ? "team-a" : "team-b", Fixtures.job(String(format: "job-%04d", i)))
        }
        let all = try await client.request("GET", Fixtures.flinkJobs.path())
        #expect(all.body?["items"]?.arrayValue?.count == 1000)
        var pages = 0
        var continueToken = ""
        var names: [String] = []
        repeat {
            var query = ["limit": "100"]
            if !continueToken.isEmpty { query["continue"] = continueToken }
            let page = try await client.request("GET", Fixtures.flinkJobs.path(), query: query)
            names += page.body?["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            continueToken = page.body?[path: ["metadata", "continue"]]?.stringValue ?? ""
            pages += 1
        } while !continueToken.isEmpty && pages < 20
        #expect(pages == 10)
        #expect(Set(names).count == 1000)
        let watch = try await client.watch(Fixtures.flinkJobs.path(), expecting: 1000)
        await watch.waitForCount(timeout: .seconds(30))
        #expect(watch.events.count == 1000)
        watch.cancel()
        // Generous: the point is catching quadratic behaviour, not measuring.
        #expect(ContinuousClock.now - started < .seconds(60))
        await client.close()
        await emulator.stop()
    }

    @Test func compactionExpiresContinueTokensAndExactReads() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        for i in 0..<3 { _ = try await client.request("POST", path, body: Fixtures.job("c\(i)")) }
        let first = try await client.request("GET", path, query: ["limit": "1"])
        let token = try #require(first.body?[path: ["metadata", "continue"]]?.stringValue)
        // A later write, then compaction: the token's snapshot is gone.
        _ = try await client.request("POST", Fixtures.flinkJobs.path(namespace: "team-b"), body: Fixtures.job("other"))
        emulator.compact()
        let expired = try await client.request("GET", path, query: ["limit": "1", "continue": token])
        #expect(expired.status == 410)
        let fresh = try #require(expired.body?[path: ["metadata", "continue"]]?.stringValue)
        let rest = try await client.request("GET", path, query: ["continue": fresh])
        #expect(rest.body?["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["c1", "c2"])
        await client.close()
        await emulator.stop()
    }

    @Test func directStateAccessSeesWhatClientsWrote() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let before = emulator.resourceVersion
        _ = try await client.request("POST", Fixtures.flinkJobs.path(namespace: "team-b"), body: Fixtures.job("seen", labels: ["a": "b"]))
        #expect(emulator.resourceVersion != before)
        let stored = try #require(emulator.object(Fixtures.flinkJobs, namespace: "team-b", name: "seen"))
        #expect(stored[path: ["spec", "state"]] == "Running")
        #expect(emulator.objects(Fixtures.flinkJobs, labelSelector: "a=b").count == 1)
        #expect(emulator.objects(Fixtures.flinkJobs, namespace: "team-a").isEmpty)
        await client.close()
        await emulator.stop()
    }

    @Test func theProjectCRDsInstallFromYAMLAndTheExamplesValidate() async throws {
        let emulator = try await KubernetesEmulator.start()
        let root = Fixtures.repositoryRoot
        for file in ["crds/flinksessioncluster.yaml", "crds/flinkjob.yaml"] {
            try await emulator.installCRD(yaml: try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8))
        }
        let examples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(!examples.isEmpty)
        for example in examples {
            let text = try String(contentsOf: root.appendingPathComponent("examples/\(example)"), encoding: .utf8)
            for document in text.components(separatedBy: "\n---").filter({ $0.contains("kind:") }) {
                let response = try await applyDocument(document, emulator: emulator)
                #expect(response.status == 201, "\(example): \(response.message)")
            }
        }
        await emulator.stop()
    }

    private func applyDocument(_ yaml: String, emulator: KubernetesEmulator) async throws -> EmulatorResponse {
        func field(_ prefix: String) -> String {
            yaml.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) } ?? ""
        }
        let kind = field("kind:")
        let namespaced = kind == "FlinkJob"
        let namespace = field("  namespace:")
        if namespaced { try emulator.createNamespace(namespace) }
        let resource = GroupVersionResource(group: "flink.jobcontroller.io", version: "v1alpha1",
                                            resource: namespaced ? "flinkjobs" : "flinksessionclusters")
        return emulator.perform("PATCH", resource.path(namespace: namespaced ? namespace : nil, name: field("  name:")),
                                query: ["fieldManager": "test"], rawBody: Data(yaml.utf8), contentType: "application/apply-patch+yaml")
    }

    @Test func scaleSubresourceRejectsReplicasBelowTheSchemaMinimum() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        _ = try await client.request("POST", path, body: Fixtures.job("s"))
        let scaled = try await client.request("PATCH", path + "/s/scale", body: ["spec": ["replicas": 7]], contentType: "application/merge-patch+json")
        #expect(scaled.body?[path: ["spec", "replicas"]] == 7)
        #expect(emulator.object(Fixtures.flinkJobs, namespace: "team-a", name: "s")?[path: ["spec", "parallelism"]] == 7)
        let zero = try await client.request("PATCH", path + "/s/scale", body: ["spec": ["replicas": 0]], contentType: "application/merge-patch+json")
        #expect(zero.status == 422)
        await client.close()
        await emulator.stop()
    }

    @Test func deletingANamespaceHonoursFinalizersThenRemovesIt() async throws {
        let emulator = try await Fixtures.emulator()
        try emulator.createNamespace("doomed")
        var job = Fixtures.job("held")
        job[path: ["metadata", "finalizers"]] = ["flink.jobcontroller.io/finalizer"]
        try emulator.create(Fixtures.flinkJobs, namespace: "doomed", job)
        try emulator.create(Fixtures.flinkJobs, namespace: "doomed", Fixtures.job("free"))
        #expect(emulator.perform("DELETE", GroupVersionResource.namespaces.path(name: "doomed")).status == 200)
        for _ in 0..<200 where emulator.object(Fixtures.flinkJobs, namespace: "doomed", name: "free") != nil {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(emulator.object(.namespaces, name: "doomed")?[path: ["status", "phase"]] == "Terminating")
        #expect(emulator.object(Fixtures.flinkJobs, namespace: "doomed", name: "free") == nil)
        #expect(emulator.object(Fixtures.flinkJobs, namespace: "doomed", name: "held")?[path: ["metadata", "deletionTimestamp"]] != nil)
        let refused = emulator.perform("POST", Fixtures.flinkJobs.path(namespace: "doomed"), body: Fixtures.job("late"))
        #expect(refused.status == 403)
        #expect(refused.message.contains("because it is being terminated"))
        let released = emulator.perform("PATCH", Fixtures.flinkJobs.path(namespace: "doomed", name: "held"),
                                        body: ["metadata": ["finalizers": nil]], contentType: "application/merge-patch+json")
        #expect(released.status == 200)
        for _ in 0..<200 where emulator.object(.namespaces, name: "doomed") != nil {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(emulator.object(.namespaces, name: "doomed") == nil)
        await emulator.stop()
    }
}
