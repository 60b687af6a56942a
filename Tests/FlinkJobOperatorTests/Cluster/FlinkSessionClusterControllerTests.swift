import ControllerRuntime
import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Logging
import MetricsTestKit
import Synchronization
import Testing

@testable import FlinkJobOperator

/// The FlinkSessionCluster controller wired as the operator wires it, against the emulator (over HTTPS) and real
/// Flink.
private struct ClusterHarness {
    let emulator: KubernetesEmulator
    let client: KubernetesClient
    let clusters: Reflector<KubernetesObjectAPI<FlinkSessionCluster>>
    let secrets: Reflector<KubernetesObjectAPI<Secret>>
    let registry: FlinkClusterRegistry
    let controller: Controller<FlinkSessionClusterReconciler>
    let metrics: TestMetrics

    static let resource = GroupVersionResource(group: "flink.jobcontroller.io", version: "v1alpha1", resource: "flinksessionclusters")

    static func start() async throws -> ClusterHarness {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = ["flink-system"]
        let emulator = try await KubernetesEmulator.start(configuration)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        try await emulator.installCRD(yaml: try String(contentsOf: root.appendingPathComponent("crds/flinksessioncluster.yaml"), encoding: .utf8))
        var logger = Logger(label: "cluster-test")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let client = try KubernetesClient(
            configuration: KubernetesConfiguration(
                server: emulator.baseURL, tls: TLSConfiguration(trustRoots: .pem(emulator.caCertificatePEM)),
                authentication: .bearer(StaticBearerToken(emulator.adminToken))),
            logger: logger, watchIdleTimeout: .seconds(120))
        let metrics = TestMetrics()
        let clusterAPI = KubernetesObjectAPI<FlinkSessionCluster>(client: client)
        let clusters = Reflector(api: clusterAPI, logger: logger, metricsFactory: metrics)
        let secrets = Reflector(
            api: KubernetesObjectAPI<Secret>(client: client), configuration: .init(namespaces: .only(["flink-system"])),
            logger: logger, metricsFactory: metrics)
        let registry = FlinkClusterRegistry(
            clusters: clusters.store, secrets: secrets.store, jobs: nil, namespaces: nil, logger: logger,
            metricsFactory: metrics)
        let reconciler = FlinkSessionClusterReconciler(registry: registry, api: clusterAPI, events: nil, logger: logger)
        let controller = Controller(
            name: "flinksessioncluster", reconciler: reconciler, store: clusters.store,
            configuration: ControllerConfiguration(rateLimiter: .init(baseDelay: .milliseconds(20))), logger: logger,
            metricsFactory: metrics)
        controller.watches(secrets.store) { [clusters] secret in
            FlinkClusterRegistry.clusters(referencing: secret, in: clusters.store)
        }
        return ClusterHarness(
            emulator: emulator, client: client, clusters: clusters, secrets: secrets, registry: registry,
            controller: controller, metrics: metrics)
    }

    /// Runs the reflectors and the controller for the duration of `body`.
    func running(_ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clusters.run() }
            group.addTask { try await secrets.run() }
            group.addTask { try await controller.run() }
            try await body()
            group.cancelAll()
        }
    }

    /// A cluster probed every second (the timeout may not exceed the interval).
    func create(_ name: String, restURL: String, probe: JSONValue = ["interval": "1s", "timeout": "1s"], extra: [String: JSONValue] = [:]) throws {
        var spec: [String: JSONValue] = ["restURL": .string(restURL), "probe": probe]
        for (key, value) in extra { spec[key] = value }
        try emulator.create(
            Self.resource,
            ["apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkSessionCluster",
             "metadata": ["name": .string(name)], "spec": .object(spec)])
    }

    func stored(_ name: String) -> JSONValue? {
        emulator.object(Self.resource, name: name)
    }

    func ready(_ name: String) -> JSONValue? {
        stored(name)?[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
    }

    func stop() async {
        await registry.shutdown()
        await client.shutdown()
        await emulator.stop()
    }
}

private final class WrittenStatuses: Sendable {
    let list = Mutex<[(version: String, status: FlinkSessionClusterStatus)]>([])
}

@Suite(.serialized) struct FlinkSessionClusterControllerTests {
    @Test func aReachableClusterIsReadyWithItsRealSlotsVersionAndScheduler() async throws {
        let flink = try await FlinkTestCluster.shared()
        let expected = try await flink.restClient().clusterOverview()
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        try harness.create("shared", restURL: flink.restURL)
        try await harness.running {
            let ready = await eventuallyTrue { harness.ready("shared")?["status"]?.stringValue == "True" }
            #expect(ready, "Ready: \(String(describing: harness.ready("shared")))")
        }
        let status = harness.stored("shared")?["status"]
        #expect(status?["taskManagers"]?.integerValue == Int64(expected.taskManagers))
        #expect(status?["slotsTotal"]?.integerValue == Int64(expected.slotsTotal))
        #expect(status?["flinkVersion"]?.stringValue == expected.flinkVersion)
        #expect(status?["flinkVersion"]?.stringValue?.hasPrefix("2.") == true)
        #expect(status?["scheduler"]?.stringValue == "Default")
        #expect(status?["observedGeneration"]?.integerValue == 1)
        #expect(status?["lastProbeTime"]?.stringValue != nil)
        #expect(status?[path: ["circuitBreaker", "state"]]?.stringValue == "Closed")
        #expect(harness.ready("shared")?["reason"]?.stringValue == "Reachable")
        let info = harness.registry.info(for: "shared")
        #expect(info?.slotsTotal == expected.slotsTotal)
        #expect(info?.supportsInPlaceRescale == false)
        guard case .available = await harness.registry.lookup("shared") else {
            Issue.record("the registry does not offer the ready cluster")
            return
        }
    }

    @Test func theAdaptiveSchedulerIsReportedForInPlaceRescaling() async throws {
        let flink = try await FlinkTestCluster.sharedAdaptive()
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        try harness.create("adaptive", restURL: flink.restURL)
        try await harness.running {
            #expect(await eventuallyTrue { harness.stored("adaptive")?[path: ["status", "scheduler"]]?.stringValue == "Adaptive" })
        }
        #expect(harness.registry.info(for: "adaptive")?.supportsInPlaceRescale == true)
    }

    @Test func probingDoesNotRewriteAnUnchangedStatus() async throws {
        let flink = try await FlinkTestCluster.shared()
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        try harness.create("quiet", restURL: flink.restURL, probe: ["interval": "500ms", "timeout": "500ms"])
        // Every status the controller writes, in order, as the operator's own cache (fed by its watch) sees them.
        let written = WrittenStatuses()
        let changes = harness.clusters.store.changes()
        let collector = Task {
            for await change in changes {
                // One entry per stored version (a relist repeats a version).
                guard case .upserted(let cluster) = change, let status = cluster.status,
                    let version = cluster.metadata.resourceVersion
                else { continue }
                written.list.withLock { list in
                    if list.last?.version != version { list.append((version, status)) }
                }
            }
        }
        defer { collector.cancel() }
        try await harness.running {
            #expect(await eventuallyTrue { harness.ready("quiet")?["status"]?.stringValue == "True" })
            try await Task.sleep(for: .seconds(3))
        }
        let statuses = written.list.withLock { $0.map(\.status) }
        #expect(!statuses.isEmpty)
        // About 6 probes ran after Ready; other tests' jobs on the shared cluster may change its free slots, so
        // some writes are expected, but each must change something besides lastProbeTime.
        for (previous, next) in zip(statuses, statuses.dropFirst()) {
            var unchanged = next
            unchanged.lastProbeTime = previous.lastProbeTime
            #expect(unchanged != previous, "a status write that changed only lastProbeTime")
        }
    }

    @Test func aWrongURLMakesTheClusterNotReadyWithAClearMessageAndOpensTheBreaker() async throws {
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        let url = ClosedPort.url()
        try harness.create(
            "down", restURL: url,
            probe: ["interval": "500ms", "timeout": "500ms", "failureThreshold": 2, "openDuration": "60s"])
        try await harness.running {
            #expect(await eventuallyTrue { harness.stored("down")?[path: ["status", "circuitBreaker", "state"]]?.stringValue == "Open" })
        }
        let ready = harness.ready("down")
        #expect(ready?["status"]?.stringValue == "False")
        #expect(["Unreachable", "CircuitOpen"].contains(ready?["reason"]?.stringValue ?? ""))
        let message = harness.stored("down")?[path: ["status", "message"]]?.stringValue ?? ""
        #expect(message.contains(url) || message.contains("circuit breaker open"), "\(message)")
        #expect(harness.stored("down")?[path: ["status", "circuitBreaker", "consecutiveFailures"]]?.integerValue == 2)
        guard case .unavailable(let reason) = await harness.registry.lookup("down") else {
            Issue.record("an open breaker must make the cluster unavailable to FlinkJobs")
            return
        }
        #expect(reason.contains("circuit breaker open"))
        #expect(try harness.metrics.expectGauge("flink_cluster_circuit_breaker_state", [("cluster", "down"), ("state", "open")]).lastValue == 1)
        #expect(try harness.metrics.expectGauge("flink_cluster_circuit_breaker_state", [("cluster", "down"), ("state", "closed")]).lastValue == 0)
    }

    @Test func afterTheOpenDurationAHalfOpenTrialClosesTheBreakerWhenFlinkAnswers() async throws {
        let flink = try await FlinkTestCluster.shared()
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        try harness.create(
            "flaky", restURL: ClosedPort.url(),
            probe: ["interval": "1s", "timeout": "1s", "failureThreshold": 1, "openDuration": "2s"])
        try await harness.running {
            #expect(await eventuallyTrue { harness.stored("flaky")?[path: ["status", "circuitBreaker", "state"]]?.stringValue == "Open" })
            // The cluster comes back (its URL is fixed) while the breaker is open: no probe until the open
            // duration has passed, then the trial succeeds and closes it.
            let patched = harness.emulator.perform(
                "PATCH", ClusterHarness.resource.path(name: "flaky"), body: ["spec": ["restURL": .string(flink.restURL)]],
                contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            try await Task.sleep(for: .milliseconds(500))
            #expect(harness.ready("flaky")?["status"]?.stringValue == "False", "no probe while the breaker is open")
            #expect(await eventuallyTrue(timeout: .seconds(10)) { harness.ready("flaky")?["status"]?.stringValue == "True" })
        }
        #expect(harness.stored("flaky")?[path: ["status", "circuitBreaker", "state"]]?.stringValue == "Closed")
        #expect(harness.stored("flaky")?[path: ["status", "observedGeneration"]]?.integerValue == 2)
    }

    @Test func failuresReportedByJobReconcilesCountTowardsTheBreaker() async throws {
        let flink = try await FlinkTestCluster.shared()
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        try harness.create("busy", restURL: flink.restURL, probe: ["interval": "30s", "failureThreshold": 2, "openDuration": "30s"])
        try await harness.running {
            #expect(await eventuallyTrue { harness.ready("busy")?["status"]?.stringValue == "True" })
            await harness.registry.recordRequest(cluster: "busy", failure: .unreachable("connection reset"))
            guard case .available = await harness.registry.lookup("busy") else {
                Issue.record("one failure must not open a breaker with threshold 2")
                return
            }
            await harness.registry.recordRequest(cluster: "busy", failure: .timeout("GET /jobs/x"))
            guard case .unavailable(let reason) = await harness.registry.lookup("busy") else {
                Issue.record("two failures must open the breaker")
                return
            }
            #expect(reason.contains("GET /jobs/x"))
        }
    }

    @Test func aMissingSecretIsAConfigurationErrorThatClearsWhenTheSecretAppears() async throws {
        let flink = try await FlinkTestCluster.shared()
        let harness = try await ClusterHarness.start()
        defer { Task { await harness.stop() } }
        try harness.create(
            "secured", restURL: flink.restURL,
            // The local Flink speaks plain http: allowed explicitly (the refusal is tested below).
            extra: ["auth": [
                "bearerTokenSecretRef": ["name": "flink-token", "namespace": "flink-system", "key": "token"],
                "allowPlaintextHTTP": true,
            ]])
        try await harness.running {
            #expect(await eventuallyTrue { harness.ready("secured")?["reason"]?.stringValue == "InvalidConfiguration" })
            #expect(harness.ready("secured")?["message"]?.stringValue?.contains("Secret flink-system/flink-token was not found") == true)
            // Flink ignores the token; what matters is that the Secret change re-triggers the cluster.
            try harness.emulator.create(
                .secrets, namespace: "flink-system",
                ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "flink-token"], "stringData": ["token": "s3cr3t"]])
            #expect(await eventuallyTrue { harness.ready("secured")?["status"]?.stringValue == "True" })
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
private func eventuallyTrue(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
