@testable import ControllerRuntime
import Foundation
import JSONCore
import Kubernetes
import KubernetesEmulator
import MetricsTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite(.serialized) struct LeaderElectorTests {
    private static let leaseName = "flink-job-controller"
    private static let leases = GroupVersionResource.leases

    private func elector(
        _ env: TestEnvironment, _ identity: String, metrics: TestMetrics = TestMetrics(),
        leaseDuration: Duration = .seconds(3), renewDeadline: Duration = .seconds(2)
    ) throws -> LeaderElector {
        try LeaderElector(
            lock: KubernetesLeaseLock(client: env.client, namespace: "default", name: Self.leaseName),
            configuration: LeaderElectionConfiguration(
                name: Self.leaseName, identity: identity, leaseDuration: leaseDuration, renewDeadline: renewDeadline,
                retryPeriod: .milliseconds(500)),
            logger: env.logger, metricsFactory: metrics)
    }

    private func storedLease(_ env: TestEnvironment) -> JSONValue? {
        env.emulator.object(Self.leases, namespace: "default", name: Self.leaseName)
    }

    /// Samples the electors until `condition` holds or `timeout` passes, recording the most leaders seen at once.
    private func sample(
        _ electors: [LeaderElector], maxSeen: Shared<Int>, timeout: Duration, until condition: () -> Bool = { false }
    ) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let leaders = electors.filter(\.isLeader).count
            maxSeen.withLock { $0 = max($0, leaders) }
            if condition() { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func ofThreeInstancesExactlyOneLeadsAndAKilledLeaderIsReplacedWithinTheLeaseDuration() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let electors = try ["a", "b", "c"].map { try elector(env, "host_\($0)") }
        let tasks = electors.map { elector in
            Task { try await elector.run { try await Task.sleep(for: .seconds(3600)) } }
        }
        defer { for task in tasks { task.cancel() } }
        let maxSeen = Shared(0)
        await sample(electors, maxSeen: maxSeen, timeout: .seconds(5)) { electors.contains(where: \.isLeader) }
        // Keep sampling through several renewals.
        await sample(electors, maxSeen: maxSeen, timeout: .seconds(3))
        let leaders = electors.indices.filter { electors[$0].isLeader }
        #expect(leaders.count == 1)
        guard let first = leaders.first else { return }
        #expect(storedLease(env)?[path: ["spec", "holderIdentity"]]?.stringValue == electors[first].configuration.identity)
        let renewTime = storedLease(env)?[path: ["spec", "renewTime"]]?.stringValue ?? ""
        #expect(renewTime.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#, options: .regularExpression) != nil)
        let transitionsBefore = storedLease(env)?[path: ["spec", "leaseTransitions"]]?.integerValue ?? -1

        // Kill the leader's renewals without releasing.
        tasks[first].cancel()
        let killed = ContinuousClock.now
        await sample(electors, maxSeen: maxSeen, timeout: .seconds(10)) {
            electors.indices.contains { $0 != first && electors[$0].isLeader }
        }
        let handover = ContinuousClock.now - killed
        let next = electors.indices.first { $0 != first && electors[$0].isLeader }
        #expect(next != nil)
        // Liveness, not a timing goal: the lease (3 s) plus a few retry periods, with room for a loaded CI machine.
        #expect(handover < .seconds(7), "handover took \(handover)")
        #expect(handover >= .seconds(2), "took over before the old lease could have expired (\(handover))")
        await sample(electors, maxSeen: maxSeen, timeout: .seconds(1))
        #expect(maxSeen.value == 1)
        if let next {
            #expect(storedLease(env)?[path: ["spec", "holderIdentity"]]?.stringValue == electors[next].configuration.identity)
        }
        #expect(storedLease(env)?[path: ["spec", "leaseTransitions"]]?.integerValue == transitionsBefore + 1)
    }

    @Test func racingCandidatesOnOneLeaseVersionNeverYieldTwoLeaders() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        // A released lease: every candidate may take it at once, so they all write from the same version.
        try env.emulator.create(
            Self.leases, namespace: "default",
            ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(Self.leaseName)],
             "spec": ["leaseDurationSeconds": 1, "leaseTransitions": 0]])
        env.emulator.clearRequestLog()
        // Slow writes: the other candidates read the lease while the first write is still in flight, so they
        // write from the same version and really race.
        env.emulator.addLatency(
            LatencyRule(
                matching: RequestMatcher(method: "PUT", path: .prefix(Self.leases.path(namespace: "default"))),
                delay: .milliseconds(500), count: 6))
        let electors = try (0..<6).map { try elector(env, "racer_\($0)") }
        let tasks = electors.map { elector in
            Task { try await elector.run { try await Task.sleep(for: .seconds(3600)) } }
        }
        defer { for task in tasks { task.cancel() } }
        let maxSeen = Shared(0)
        await sample(electors, maxSeen: maxSeen, timeout: .seconds(3))
        #expect(maxSeen.value == 1)
        #expect(electors.filter(\.isLeader).count == 1)
        let conflicts = env.emulator.requestLog.filter { $0.path.contains("/leases/") && $0.method == "PUT" && $0.status == 409 }
        #expect(!conflicts.isEmpty, "the candidates did not actually race")
    }

    @Test func gracefulShutdownReleasesTheLeaseAfterTheWorkEndsAndAnotherInstanceTakesOverQuickly() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let metrics = TestMetrics()
        // A long lease, so a takeover well before it could have expired can only come from the release.
        let first = try elector(env, "host_first", metrics: metrics, leaseDuration: .seconds(20), renewDeadline: .seconds(15))
        let workFinished = Shared(false)
        let released = Shared<ContinuousClock.Instant?>(nil)
        let second = try elector(env, "host_second", leaseDuration: .seconds(20), renewDeadline: .seconds(15))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await testGracefulShutdown { trigger in
                    try await withThrowingTaskGroup(of: Void.self) { inner in
                        inner.addTask {
                            try await first.run {
                                // The "controllers": run until graceful shutdown, then finish in-flight work.
                                try? await gracefulShutdown()
                                try? await Task.sleep(for: .milliseconds(300))
                                workFinished.withLock { $0 = true }
                            }
                        }
                        #expect(await eventually { first.isLeader })
                        // The second instance stands by.
                        try await Task.sleep(for: .milliseconds(600))
                        trigger.triggerGracefulShutdown()
                        try await inner.waitForAll()
                        released.withLock { $0 = .now }
                    }
                }
            }
            #expect(await eventually { first.isLeader })
            group.addTask { try await second.run { try await Task.sleep(for: .seconds(3600)) } }
            #expect(await eventually(timeout: .seconds(10)) { second.isLeader })
            let tookOver = ContinuousClock.now
            #expect(workFinished.value)
            if let releasedAt = released.value {
                // Within about one retry period (0.5 s, +20 % jitter), not the 20 s lease duration.
                #expect(tookOver - releasedAt < .seconds(8), "took over \(tookOver - releasedAt) after the release")
            }
            group.cancelAll()
        }
        #expect(try metrics.expectGauge("leader_election_master_status", [("name", Self.leaseName)]).lastValue == 0)
    }

    @Test func renewalsFailingPastTheDeadlineStopTheWorkAtOnceAndRunThrowsLeadershipLost() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let leader = try elector(env, "host_doomed")
        let workCancelled = Shared<ContinuousClock.Instant?>(nil)
        let faultsStarted = Shared<ContinuousClock.Instant?>(nil)
        await #expect {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await leader.run {
                        do {
                            try await Task.sleep(for: .seconds(3600))
                        } catch {
                            workCancelled.withLock { $0 = .now }
                            throw error
                        }
                    }
                }
                #expect(await eventually { leader.isLeader })
                env.emulator.inject(
                    FaultRule(matching: RequestMatcher(path: .prefix(Self.leases.path(namespace: "default"))), status: 500, count: nil))
                faultsStarted.withLock { $0 = .now }
                try await group.waitForAll()
            }
        } throws: { error in
            guard case ControllerRuntimeError.leadershipLost(let identity, _) = error else { return false }
            return identity == "host_doomed"
        }
        #expect(!leader.isLeader)
        if let cancelled = workCancelled.value, let started = faultsStarted.value {
            // Renew deadline 2 s after the last good renew (at most one 0.5 s retry before the faults).
            #expect(cancelled - started < .seconds(3))
            #expect(cancelled - started > .seconds(1))
        } else {
            Issue.record("the work was not cancelled")
        }
    }

    @Test func seeingAnotherHolderEndsLeadershipImmediately() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let leader = try elector(env, "host_leader")
        await #expect(throws: ControllerRuntimeError.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await leader.run { try await Task.sleep(for: .seconds(3600)) } }
                #expect(await eventually { leader.isLeader })
                guard var lease = storedLease(env) else { throw TestFailure("no lease") }
                lease[path: ["spec", "holderIdentity"]] = "intruder"
                let response = env.emulator.perform(
                    "PUT", Self.leases.path(namespace: "default", name: Self.leaseName), body: lease)
                #expect(response.status == 200)
                try await group.waitForAll()
            }
        }
        #expect(!leader.isLeader)
    }

    /// The race that CI met: a renew cut short by the shutdown still reached the API server and moved the lease's
    /// version, so the release write at the old version conflicts. The release reads again and succeeds.
    @Test func aReleaseThatConflictsWithALandedRenewIsRetriedAtTheNewVersion() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let lock = RenewLandsBeforeTheFirstRelease(
            inner: KubernetesLeaseLock(client: env.client, namespace: "default", name: Self.leaseName))
        let leader = try LeaderElector(
            lock: lock,
            configuration: LeaderElectionConfiguration(
                name: Self.leaseName, identity: "host_leader", leaseDuration: .seconds(20), renewDeadline: .seconds(15),
                retryPeriod: .milliseconds(500)),
            logger: env.logger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await leader.run { try? await gracefulShutdown() } }
                #expect(await eventually { leader.isLeader })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(lock.conflictsSent.value == 1, "the first release write met the landed renew")
        let holder = storedLease(env)?[path: ["spec", "holderIdentity"]]?.stringValue ?? ""
        #expect(holder.isEmpty, "the lease is released, held by \(holder)")
    }

    @Test func anInvalidConfigurationIsRefusedWithAClearError() throws {
        #expect {
            _ = try LeaderElector(
                lock: NeverLock(),
                configuration: LeaderElectionConfiguration(
                    name: "x", identity: "me", leaseDuration: .seconds(5), renewDeadline: .seconds(10)),
                logger: quietLogger)
        } throws: { error in
            "\(error)".contains("leaseDuration (5.0 seconds) must be greater than renewDeadline (10.0 seconds)")
        }
    }
}

/// A lock that is never reached.
private struct NeverLock: LeaseLock {
    var description: String { "never" }
    func get() async throws -> LeaseRecord? { nil }
    func create(_ record: LeaseRecord) async throws -> LeaseRecord { record }
    func update(_ record: LeaseRecord) async throws -> LeaseRecord { record }
}

/// Before the first release write, renews the lease through `inner` (as a renew cut short by the shutdown would
/// have landed), so that write's version is stale and the API server answers 409.
private final class RenewLandsBeforeTheFirstRelease: LeaseLock, Sendable {
    let inner: KubernetesLeaseLock
    let conflictsSent = Shared(0)

    init(inner: KubernetesLeaseLock) { self.inner = inner }

    var description: String { inner.description }
    func get() async throws -> LeaseRecord? { try await inner.get() }
    func create(_ record: LeaseRecord) async throws -> LeaseRecord { try await inner.create(record) }
    func update(_ record: LeaseRecord) async throws -> LeaseRecord {
        if record.holderIdentity == nil, conflictsSent.value == 0, var current = try await inner.get() {
            conflictsSent.withLock { $0 += 1 }
            current.renewTime = record.renewTime
            _ = try await inner.update(current)
        }
        return try await inner.update(record)
    }
}
