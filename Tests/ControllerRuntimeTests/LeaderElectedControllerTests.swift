@testable import ControllerRuntime
import Kubernetes
import KubernetesEmulator
import Logging
import MetricsTestKit
import ServiceLifecycle
import Testing

/// A reconciler that takes a while, so shutdown finds it in flight.
private struct SlowReconciler: Reconciler {
    let started = Shared(0)
    let finished = Shared(0)

    func reconcile(_ object: Widget, context: ReconcileContext) async throws -> Action {
        started.increment()
        try await Task.sleep(for: .milliseconds(600))
        finished.increment()
        return .requeue(after: .milliseconds(10))
    }
}

@Suite(.serialized) struct LeaderElectedControllerTests {
    @Test func aServiceGroupShutdownDrainsTheReconcileThenReleasesTheLease() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let metrics = TestMetrics()
        let reflector = Reflector(api: env.widgets, logger: env.logger, metricsFactory: metrics)
        let reconciler = SlowReconciler()
        let controller = Controller(
            name: "widgets", reconciler: reconciler, store: reflector.store, logger: env.logger, metricsFactory: metrics)
        let elector = try LeaderElector(
            lock: KubernetesLeaseLock(client: env.client, namespace: "default", name: "widgets-leader"),
            configuration: LeaderElectionConfiguration(
                name: "widgets-leader", identity: "host_1", leaseDuration: .seconds(3), renewDeadline: .seconds(2),
                retryPeriod: .milliseconds(500)),
            logger: env.logger, metricsFactory: metrics)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: reflector),
                    .init(service: LeaderElectedServices(elector: elector, services: [controller])),
                ],
                logger: env.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await eventually { reconciler.started.value >= 1 && elector.isLeader })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // The in-flight reconcile finished, no new one started, and only then was the lease released.
        #expect(reconciler.finished.value == reconciler.started.value)
        let lease = env.emulator.object(.leases, namespace: "default", name: "widgets-leader")
        #expect(lease?[path: ["spec", "holderIdentity"]] == nil)
        #expect(lease?[path: ["spec", "leaseDurationSeconds"]]?.integerValue == 1)
        #expect(!elector.isLeader)
    }

    @Test func losingTheLeaseEndsTheServiceGroupWithLeadershipLost() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let metrics = TestMetrics()
        let reflector = Reflector(api: env.widgets, logger: env.logger, metricsFactory: metrics)
        let reconciler = SlowReconciler()
        let controller = Controller(
            name: "widgets", reconciler: reconciler, store: reflector.store, logger: env.logger, metricsFactory: metrics)
        let elector = try LeaderElector(
            lock: KubernetesLeaseLock(client: env.client, namespace: "default", name: "widgets-leader"),
            configuration: LeaderElectionConfiguration(
                name: "widgets-leader", identity: "host_1", leaseDuration: .seconds(3), renewDeadline: .seconds(2),
                retryPeriod: .milliseconds(500)),
            logger: env.logger, metricsFactory: metrics)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: reflector),
                    .init(service: LeaderElectedServices(elector: elector, services: [controller])),
                ],
                logger: env.logger))
        await #expect {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                #expect(await eventually { reconciler.started.value >= 1 && elector.isLeader })
                env.emulator.inject(FaultRule(matching: RequestMatcher(path: .prefix("/apis/coordination.k8s.io")), status: 503, count: nil))
                try await tasks.waitForAll()
            }
        } throws: { error in
            "\(error)".contains("lost the leader lease")
        }
        let startedAfter = reconciler.started.value
        try await Task.sleep(for: .milliseconds(700))
        #expect(reconciler.started.value == startedAfter)
    }
}
