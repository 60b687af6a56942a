import ControllerRuntime
import FlinkModel
import FlinkREST
import Foundation
import Kubernetes
import KubernetesEmulator
import Synchronization
import Testing

@testable import FlinkJobOperator

/// Scenarios at the middle layer (the reconcilers + the API emulator + the Flink model) that assert the *order*
/// of effects and the state-safety promises: at most one live Flink job per FlinkJob, and no state lost.
@Suite struct LifecycleScenarioTests {
    static func running(_ world: ScenarioWorld, _ name: String) async throws -> FlinkJob {
        try await world.settle(name) { $0.status?.phase == .running && $0.status?.conditions?.first { $0.type == "Ready" }?.status == .true }
    }

    // MARK: Order of effects

    @Test func theJobIdIsInStatusBeforeJarsRun() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        let recordedAtRun = Mutex<String?>(nil)
        let client = world.client
        world.faults.setBefore { operation in
            guard operation == .runJar else { return }
            let stored = try? await client.resources(FlinkJob.self, namespace: ScenarioWorld.namespace).get("orders")
            recordedAtRun.withLock { $0 = stored?.status?.job?.id }
        }
        try await world.create(world.streamingJob("orders"))
        let job = try await Self.running(world, "orders")
        let runs = world.effects.compactMap { effect -> JarRunRequest? in
            if case .runJar(_, let request) = effect.call { return request }
            return nil
        }
        #expect(runs.count == 1)
        #expect(runs.first?.jobID?.hexString == recordedAtRun.withLock { $0 })
        #expect(job.status?.job?.id == recordedAtRun.withLock { $0 })
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aConflictingIntentWriteMeansNoJarsRun() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders"))
        // The finalizer, then the artifact is prepared; the next pass would submit.
        try await world.settle("orders", passes: 5, step: .zero) { $0.status?.prepared != nil }
        let before = world.faults.callCount(.runJar)
        #expect(before == 0)
        // The intent write (the job id, before jars/run) conflicts: the plan came from a stale object.
        world.emulator.inject(.init(matching: .init(method: "PUT", path: .regex(".*/flinkjobs/orders/status$")), status: 409))
        let result = try await world.reconcile("orders")
        guard case .failure(let error) = result, error is FlinkJobReconciler.StaleIntent else {
            Issue.record("expected the stale intent to abort the pass, got \(result)")
            return
        }
        #expect(world.faults.callCount(.runJar) == before, "nothing was submitted")
        _ = try await Self.running(world, "orders")
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func anUnreachableClusterNeverCancelsOrStopsTheJob() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders", upgradeMode: .stateless))
        _ = try await Self.running(world, "orders")
        world.faults.add(FaultRule(operations: [], trigger: .always, fault: .fail(.unreachable)))
        try await world.edit("orders") { $0.args = ["--rate", "50"] }
        try await world.edit("orders") { $0.state = .suspended }
        for _ in 0..<8 {
            try await world.reconcile("orders")
            world.advance(by: .seconds(5))
        }
        let mutations = world.effects.filter { [.cancelJob, .stopWithSavepoint, .triggerSavepoint].contains($0.operation) }
        #expect(mutations.isEmpty, "\(mutations)")
        let job = try await world.job("orders")
        #expect(job.status?.conditions?.first { $0.type == "Ready" }?.status == .unknown)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aStopWithSavepointIsFollowedByARunFromThatSavepoint() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders"))
        let first = try await Self.running(world, "orders")
        world.advance(by: .seconds(3))  // a few checkpoints
        try await world.edit("orders") { $0.args = ["--rate", "20"] }
        let upgraded = try await world.settle("orders") {
            $0.status?.deploySequence == 2 && $0.status?.phase == .running
        }
        let effects = world.effects.filter { [.stopWithSavepoint, .runJar, .cancelJob].contains($0.operation) }
        guard effects.count == 3, case .stopWithSavepoint(let stopped, _, _, _) = effects[1].call,
            case .runJar(_, let second) = effects[2].call
        else {
            Issue.record("expected run, stop-with-savepoint, run: \(effects)")
            return
        }
        #expect(stopped.hexString == first.status?.job?.id)
        let savepoint = try #require(upgraded.status?.savepoints?.last?.location)
        #expect(second.savepointPath == savepoint, "the new job starts from the stop's savepoint")
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    // MARK: Prepare before stopping

    @Test(arguments: [FlinkJobSpec.UpgradeMode.savepoint, .stateless, .lastState])
    func aTypoInTheArtifactURIKeepsTheRunningJobRunning(_ mode: FlinkJobSpec.UpgradeMode) async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders", upgradeMode: mode))
        let running = try await Self.running(world, "orders")
        try await world.edit("orders") { $0.artifact.jar?.uri = world.artifactURI("ordres.jar") }
        for _ in 0..<6 {
            try await world.reconcile("orders")
            world.advance(by: .seconds(15))
        }
        let stops = world.effects.filter { [.cancelJob, .stopWithSavepoint].contains($0.operation) }
        #expect(stops.isEmpty, "the job must not be stopped for an artifact that cannot be prepared: \(stops)")
        #expect(world.liveFlinkJobs("orders").map(\.id.hexString) == [running.status?.job?.id])
        let job = try await world.job("orders")
        let degraded = job.status?.conditions?.first { $0.type == "Degraded" }
        #expect(degraded?.status == .true)
        #expect(degraded?.reason == "ArtifactUnavailable")
        #expect(job.status?.conditions?.first { $0.type == "Ready" }?.status == .true, "the old job still serves")
        #expect(!world.events(reason: "ArtifactUnavailable").isEmpty)

        // Fixing the URI upgrades as usual.
        try world.writeArtifact("orders-2.jar")
        try await world.edit("orders") { $0.artifact.jar?.uri = world.artifactURI("orders-2.jar") }
        let fixed = try await world.settle("orders", passes: 80) { $0.status?.deploySequence == 2 && $0.status?.phase == .running }
        #expect(fixed.status?.conditions?.first { $0.type == "Degraded" }?.status == .false)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aFixOfTheSpecSupersedesADeployThatKeepsFailing() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        var broken = world.streamingJob("orders")
        broken.spec.artifact.jar?.uri = world.artifactURI("missing.jar")
        try await world.create(broken)
        for _ in 0..<4 {
            try await world.reconcile("orders")
            world.advance(by: .seconds(30))
        }
        #expect(world.faults.callCount(.runJar) == 0)
        let fixedSpec = try await world.edit("orders") { $0.artifact.jar?.uri = world.artifactURI("orders.jar") }
        let job = try await Self.running(world, "orders")
        #expect(job.status?.observedGeneration == fixedSpec.metadata.generation)
        for condition in job.status?.conditions ?? [] {
            #expect(condition.observedGeneration == fixedSpec.metadata.generation)
            #expect(!condition.message.contains("missing.jar"), "\(condition)")
        }
        #expect(job.status?.failures == nil, "an unavailable artifact is not a job failure")
    }

    // MARK: Transient faults are not job failures

    @Test func flinkServerErrorsOnJarsRunAreRetriedUnderTheSameIdAndNeverCountAsFailures() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        var spec = world.streamingJob("orders")
        spec.spec.recovery.backoffLimit = 0
        try await world.create(spec)
        world.faults.add(.fail([.runJar], with: .serverError(status: 503), next: 3))
        let job = try await world.settle("orders", passes: 80, step: .seconds(15)) {
            $0.status?.phase == .running && $0.status?.conditions?.first { $0.type == "Ready" }?.status == .true
        }
        #expect(job.status?.failures == nil)
        #expect(job.status?.deploySequence == 1, "the same job id every time")
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aSubmissionWhoseAnswerWasLostIsAdoptedNotDuplicated() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders"))
        world.faults.add(.failAfterEffect([.runJar], with: .timeout))
        let job = try await Self.running(world, "orders")
        #expect(job.status?.deploySequence == 1)
        #expect(!world.events(reason: "JobAdopted").isEmpty)
        #expect(world.liveFlinkJobs("orders").count == 1)
    }

    @Test func aStalePassWhoseSubmissionGotThroughNeverLeadsToASecondJob() async throws {
        // Found by the JobManager-restart end-to-end test: the jar was gone (jars/run said so, recorded as "not
        // sent"); a pass planned from the cache's older object ("submission in doubt") resubmitted the same id,
        // which ran; its outcome write conflicted and was merged onto the fresh status — Pending + Accepted — and
        // the next pass deployed a second job under a new id.
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders"))
        try await world.settle("orders", passes: 5, step: .zero) { $0.status?.prepared != nil }
        let intent = world.objectAtFirstRunJar("orders")
        world.flink.restartJobManager(keepJars: false)  // no job yet; the uploaded jar is lost
        try await world.reconcile("orders")  // intent recorded, jars/run: the jar is gone → "not sent"
        let stale = try #require(intent.withLock { $0 })
        #expect(stale.status?.phase == .deploying)
        #expect(try await world.job("orders").status?.job?.submission == .notSent)
        #expect(world.liveFlinkJobs("orders").isEmpty)

        // The stale object would resubmit the same id with no status change to write; the freshness check before
        // acting refuses it (before that check, it ran, its write conflicted, and the merge led to a second job).
        let result = try await world.reconcile(stale: stale)
        guard case .failure(let error) = result, error is FlinkJobReconciler.StaleIntent else {
            Issue.record("expected the stale plan to be refused, got \(result)")
            return
        }
        #expect(world.liveFlinkJobs("orders").isEmpty)
        let settled = try await Self.running(world, "orders")
        for _ in 0..<5 {
            try await world.reconcile("orders")
            world.advance(by: .seconds(2))
        }
        #expect(world.liveFlinkJobs("orders").count == 1, "one live job: \(world.liveFlinkJobs("orders"))")
        #expect(try await world.job("orders").status?.deploySequence == 1)
        #expect(settled.status?.job?.id == stale.status?.job?.id, "the id Flink never saw is used again")
    }

    // MARK: Crash right after submitting

    @Test func anOperatorCrashRightAfterJarsRunLeavesExactlyOneJob() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        let emulator = world.emulator
        let crashed = Flag()
        // The "process" dies after Flink accepted the job: the write that would record the outcome never happens.
        world.faults.setAfter { operation, _ in
            guard operation == .runJar, !crashed.set() else { return }
            emulator.inject(.init(matching: .init(method: "PUT", path: .regex(".*/status$")), status: 503, count: 100))
        }
        try await world.create(world.streamingJob("orders"))
        for _ in 0..<4 where !crashed.isSet {
            try await world.reconcile("orders")
        }
        #expect(crashed.isSet)
        world.emulator.clearFaults()
        await world.restartOperator()
        world.faults.setAfter(nil)
        let job = try await Self.running(world, "orders")
        #expect(job.status?.deploySequence == 1)
        #expect(world.liveFlinkJobs("orders").count == 1)
        #expect(world.flink.allJobs.count == 1)
    }

    // MARK: Identity

    @Test func aClusterRePointedAtAnotherFlinkIsHeldInsteadOfDeployingASecondCopy() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        try await world.create(world.streamingJob("orders"))
        _ = try await Self.running(world, "orders")
        var cluster = try await world.client.resources(FlinkSessionCluster.self, namespace: nil).get("default")
        cluster.spec.restURL = "http://other-flink.test:8081"
        _ = try await world.client.resources(FlinkSessionCluster.self, namespace: nil).replace(cluster)
        let held = try await world.settle("orders") { $0.status?.phase == .held }
        #expect(held.status?.hold?.reason == .clusterChanged)
        #expect(held.status?.hold?.message.contains("http://flink-model.test:8081") == true)
        let runs = world.faults.callCount(.runJar)
        for _ in 0..<4 {
            try await world.reconcile("orders")
            world.advance(by: .seconds(10))
        }
        #expect(world.faults.callCount(.runJar) == runs)
    }
}

/// A flag set once, shareable with hooks.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    /// Sets the flag; returns whether it was set before.
    func set() -> Bool { value.exchange(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
