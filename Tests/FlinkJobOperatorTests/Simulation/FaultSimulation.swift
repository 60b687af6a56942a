import ControllerRuntime
import FlinkModel
import FlinkREST
import Foundation
import Kubernetes
import KubernetesEmulator
import Synchronization

@testable import FlinkJobOperator

/// Runs one seeded history (`SimulationSchedule`) against the real reconcilers, status writer and fencing checks,
/// the API emulator and the Flink model, and checks the operator's promises at every Flink call, after every
/// step, and over the whole history (`HistoryInvariants`).
///
/// A *mutant* is a deliberately broken operator, expressed at a seam so the production code stays untouched: it
/// proves the harness catches that class of bug.
enum FaultSimulation {
    enum Mutant: String, Sendable, CaseIterable {
        case none
        /// Never checks leadership before a side effect.
        case ignoresLeadership
        /// Forgets the restore path when submitting (a stateful job restarts empty).
        case forgetsRestorePath
        /// Submits under random job ids instead of the deterministic ones (a lost answer means a second job).
        case randomJobIDs
    }

    struct Result: Sendable {
        var seed: UInt64
        var steps: Int
        var faults: Int
        var flinkCalls: Int
        var violations: [Violation]
        var trace: [String]

        var report: String {
            (["seed \(seed): \(violations.count) violation(s), \(faults) faults, \(steps) steps"]
                + violations.map { "  \($0)" } + ["  trace:"] + trace.map { "    \($0)" }).joined(separator: "\n")
        }
    }

    static let name = "orders"
    /// The cron batch FlinkJob of the seeds that have one.
    static let batchName = "nightly"

    static func run(seed: UInt64, mutant: Mutant = .none) async throws -> Result {
        try await run(SimulationSchedule(seed: seed), mutant: mutant)
    }

    static func run(_ schedule: SimulationSchedule, mutant: Mutant = .none) async throws -> Result {
        let seed = schedule.seed
        let started = ContinuousClock.now
        defer { if ProcessInfo.processInfo.environment["FJC_SIMULATION_TIMING"] != nil { print("seed \(seed): \(started.duration(to: .now))") } }
        var timings = InMemoryFlink.Timings.immediate
        // A batch run outlasts its minute-long schedule slot now and then, so Forbid skips and Replace cancels.
        timings.batchRun = .seconds(70)
        let world = try await ScenarioWorld.start(
            configuration: .init(endpoint: ScenarioWorld.restURL, timings: timings),
            seed: seed, leadershipCheck: mutant == .ignoresLeadership ? .ignored : .honest, inProcess: true)
        world.clusterProbeInterval = .seconds(1)
        do {
            if ProcessInfo.processInfo.environment["FJC_SIMULATION_TIMING"] != nil { print("seed \(seed) world up: \(started.duration(to: .now))") }
            let result = try await Run(world: world, schedule: schedule, mutant: mutant).execute()
            await world.stop()
            return result
        } catch {
            await world.stop()
            throw error
        }
    }
}

/// The state of one simulated history while it runs.
private final class Run: @unchecked Sendable {
    // @unchecked: driven by one task; the hooks only touch the `Locked` members.
    let world: ScenarioWorld
    let schedule: SimulationSchedule
    let mutant: FaultSimulation.Mutant
    let violations = Locked<[Violation]>([])
    let acting = Locked<Int>(0)
    let currentStep = Locked<Int>(0)
    let crashAfterRun = Locked<Bool>(false)
    let crashBefore = Locked<Bool>(false)
    let crashDue = Locked<Bool>(false)
    let stepBySequence = Locked<[(sequence: Int, step: Int)]>([])
    var trace: [String] = []
    var snapshots: [FlinkJob] = []
    var highestSequence: Int64 = 0
    var highestRunCount: Int64 = 0
    var batchObservedAt: Date?
    /// The FlinkJobs of this history.
    var names: [String] { schedule.batch == nil ? [FaultSimulation.name] : [FaultSimulation.name, FaultSimulation.batchName] }
    var deleted = false
    var zombieGeneration: Int?

    init(world: ScenarioWorld, schedule: SimulationSchedule, mutant: FaultSimulation.Mutant) {
        self.world = world
        self.schedule = schedule
        self.mutant = mutant
    }

    func record(_ invariant: Violation.Invariant, _ detail: String) {
        let step = currentStep.withLock { $0 }
        violations.withLock { $0.append(Violation(invariant: invariant, step: step, detail: detail)) }
    }

    func execute() async throws -> FaultSimulation.Result {
        try installHooks()
        var job = world.streamingJob(FaultSimulation.name, upgradeMode: schedule.upgradeModeIsLastState ? .lastState : .savepoint)
        job.spec.recovery.backoffLimit = 1000
        try world.writeArtifact("orders-v2.jar", bytes: "jar bytes, version 2")
        try await world.create(job)
        if let policy = schedule.batch {
            var batch = world.streamingJob(FaultSimulation.batchName)
            batch.spec.type = .batch
            batch.spec.upgradeMode = .stateless
            batch.spec.checkpointing = nil
            batch.spec.savepoints = nil
            batch.spec.batch = .init(schedule: "* * * * *", concurrencyPolicy: policy == .forbid ? .forbid : .replace)
            batch.spec.recovery = .init(onFailure: .never, backoffLimit: 0)
            try await world.create(batch)
        }
        for (index, step) in schedule.steps.enumerated() {
            currentStep.withLock { $0 = index }
            try await perform(step)
            await observe(after: "\(index): \(step)")
            if violations.withLock({ !$0.isEmpty }) { break }
        }
        if violations.withLock({ $0.isEmpty }) { try await converge() }
        let final = try? await world.job(FaultSimulation.name)
        let marks = stepBySequence.withLock { $0 }
        violations.withLock { list in
            list += HistoryInvariants.check(
                effects: world.flink.effects, events: world.flink.events, finalStatus: final?.status, deleted: deleted,
                stepAt: { sequence in marks.last { $0.sequence <= sequence }?.step ?? 0 })
        }
        return FaultSimulation.Result(
            seed: schedule.seed, steps: schedule.steps.count, faults: schedule.faultCount,
            flinkCalls: FlinkOperation.allCases.reduce(0) { $0 + world.faults.callCount($1) },
            violations: violations.withLock { $0 }, trace: trace)
    }

    // MARK: Hooks (every Flink call)

    func installHooks() throws {
        let world = world
        world.faults.setBefore { [self] (operation: FlinkOperation) async throws(FlinkRESTError) in
            guard operation.isMutating else { return }
            if acting.withLock({ $0 }) != world.leader.withLock({ $0 }) {
                record(.fencing, "\(operation) by replica \(acting.withLock { $0 }) while replica \(world.leader.withLock { $0 }) leads")
            }
            for name in names {
                let live = world.liveFlinkJobs(name)
                if live.count > 1 { record(.twoLiveJobs, "before \(operation): \(name) \(live.map { "\($0.id)" })") }
            }
            if crashBefore.withLock({ armed in defer { armed = false }; return armed }) {
                crashDue.withLock { $0 = true }
                throw InjectedError.unreachable.error(for: operation)
            }
        }
        let emulator = world.emulator
        world.faults.setAfter { [self] operation, _ in
            if operation == .runJar {
                for name in names {
                    let live = world.liveFlinkJobs(name)
                    if live.count > 1 { record(.twoLiveJobs, "after jars/run: \(name) \(live.map { "\($0.id)" })") }
                }
            }
            guard operation == .runJar, crashAfterRun.withLock({ armed in defer { armed = false }; return armed }) else { return }
            // The process dies now: nothing it would write after this call reaches the API server.
            crashDue.withLock { $0 = true }
            emulator.inject(.init(matching: .init(method: "PUT", path: .regex(".*/status$")), status: 503, count: 1000))
        }
        switch mutant {
        case .forgetsRestorePath:
            world.faults.setRunRewrite { request in
                var request = request
                request.savepointPath = nil
                return request
            }
        case .randomJobIDs:
            world.faults.setRunRewrite { request in
                var request = request
                request.jobID = FlinkJobID(uuid: UUID())
                return request
            }
        case .none, .ignoresLeadership:
            break
        }
    }

    // MARK: Steps

    func pass() async throws {
        acting.withLock { [generation = world.operatorGeneration] in $0 = generation }
        stepBySequence.withLock { [step = currentStep.withLock { $0 }, sequence = world.flink.effects.last?.sequence ?? 0] in
            $0.append((sequence + 1, step))
        }
        _ = try await world.reconcile(names, crashed: { crashDue.withLock { $0 } })
        if crashDue.withLock({ due in defer { due = false }; return due }) {
            world.emulator.clearFaults()
            await world.restartOperator()
        }
    }

    func edit(_ change: (inout FlinkJobSpec) -> Void) async throws {
        guard !deleted else { return }
        for _ in 0..<3 {
            do {
                _ = try await world.edit(FaultSimulation.name, change)
                return
            } catch {
                continue  // a conflict with the operator's own write: read again, as kubectl edit would
            }
        }
    }

    func liveJobID() -> FlinkJobID? { world.liveFlinkJobs(FaultSimulation.name).first?.id }

    func perform(_ step: SimulationSchedule.Step) async throws {
        switch step {
        case .passes(let count, let millis):
            for _ in 0..<count {
                try await pass()
                world.advance(by: .milliseconds(millis))
            }
        case .editArgs(let rate): try await edit { $0.args = ["--rate", "\(rate)"] }
        case .editParallelism(let parallelism): try await edit { $0.parallelism = parallelism }
        case .switchArtifact:
            let v1 = world.artifactURI("orders.jar"), v2 = world.artifactURI("orders-v2.jar")
            try await edit { spec in
                let current = spec.artifact.jar?.uri
                spec.artifact.jar?.uri = current == v1 ? v2 : v1
            }
        case .toggleUpgradeMode: try await edit { $0.upgradeMode = $0.upgradeMode == .savepoint ? .lastState : .savepoint }
        case .suspend: try await edit { $0.state = .suspended }
        case .resume: try await edit { $0.state = .running }
        case .savepointNonce: try await edit { $0.savepointNonce = ($0.savepointNonce ?? 0) + 1 }
        case .delete:
            guard !deleted else { return }
            _ = try? await world.jobsAPI.delete(FaultSimulation.name)
            deleted = true
        case .nextScheduleSlot: world.advance(by: .seconds(60))
        case .crash: await world.restartOperator()
        case .crashAfterNextRun: crashAfterRun.withLock { $0 = true }
        case .crashBeforeNextFlinkChange: crashBefore.withLock { $0 = true }
        case .handOver:
            zombieGeneration = world.operatorGeneration
            await world.handOver()
        case .zombieWakes:
            guard let zombieGeneration else { return }
            // A spec edit arrives while the old leader is paused; it wakes up and sees it before the new leader.
            try await edit { $0.args = ["--rate", "\(schedule.seed % 97 + 100)"] }
            acting.withLock { $0 = zombieGeneration }
            _ = await world.reconcileZombie(FaultSimulation.name)
        case .stalePass(let ago):
            guard snapshots.count > ago else { return }
            acting.withLock { [generation = world.operatorGeneration] in $0 = generation }
            _ = try await world.reconcile(stale: snapshots[snapshots.count - 1 - ago])
        case .apiStatusErrors(let status, let count):
            world.emulator.inject(.init(matching: .init(method: "PUT", path: .regex(".*/status$")), status: status, count: count))
        case .flinkErrors(let fault, let count):
            let error: InjectedError = switch fault {
            case .serverError: .serverError(status: 503)
            case .timeout: .timeout
            case .htmlPage: .htmlPage(status: 502)
            case .unreachable: .unreachable
            case .throttled: .serverError(status: 429)
            }
            world.faults.add(FlinkModel.FaultRule.fail([], with: error, next: count))
        case .jobManagerRestart(let keepJars): world.flink.restartJobManager(keepJars: keepJars)
        case .savepointFailures(let count): if let id = liveJobID() { world.flink.failSavepoints(of: id, count: count) }
        case .checkpointFailures(let count): if let id = liveJobID() { world.flink.failCheckpoints(of: id, count: count) }
        case .jobFails: if let id = liveJobID() { world.flink.failJob(id, message: "simulated failure") }
        }
    }

    // MARK: After each step

    func observe(after label: String) async {
        let live = world.liveFlinkJobs(FaultSimulation.name)
        if live.count > 1 { record(.twoLiveJobs, "\(live.map { "\($0.id)" })") }
        if schedule.batch != nil {
            let batchLive = world.liveFlinkJobs(FaultSimulation.batchName)
            if batchLive.count > 1 { record(.twoLiveJobs, "\(FaultSimulation.batchName): \(batchLive.map { "\($0.id)" })") }
            if let batch = try? await world.job(FaultSimulation.batchName) {
                let runs = batch.status?.runs?.count ?? 0
                if runs < highestRunCount { record(.regression, "\(FaultSimulation.batchName): runs.count went from \(highestRunCount) to \(runs)") }
                // The schedule is every minute: a run started since the last look is for a time no older than the
                // minute that look happened in (the newest due time then or later).
                let now = world.clock.withLock { $0 }
                if runs > highestRunCount, let since = batchObservedAt {
                    let newestDue = Int64(since.timeIntervalSince1970) / 60 * 60
                    let scheduled = batch.status?.runs?.lastScheduleTime?.secondsSince1970 ?? 0
                    if scheduled < newestDue {
                        record(.staleScheduleTime, "\(FaultSimulation.batchName): run \(runs) is for \(KubeTime(secondsSince1970: scheduled)), "
                            + "but \(KubeTime(secondsSince1970: newestDue)) was already due")
                    }
                }
                batchObservedAt = now
                highestRunCount = max(highestRunCount, runs)
                trace.append("\(label) → \(FaultSimulation.batchName) phase=\(batch.status?.phase?.rawValue ?? "-") runs=\(runs) live=\(batchLive.count)")
            }
        }
        guard let job = try? await world.job(FaultSimulation.name) else {
            trace.append("\(label) → (no object) live=\(live.count)")
            return
        }
        snapshots.append(job)
        let sequence = job.status?.deploySequence ?? 0
        if sequence < highestSequence { record(.regression, "deploySequence went from \(highestSequence) to \(sequence)") }
        highestSequence = max(highestSequence, sequence)
        trace.append("\(label) → phase=\(job.status?.phase?.rawValue ?? "-") seq=\(sequence) live=\(live.count)")
    }

    // MARK: Convergence

    func converge() async throws {
        currentStep.withLock { $0 = schedule.steps.count }
        world.faults.removeAllRules()
        world.emulator.clearFaults()
        crashAfterRun.withLock { $0 = false }
        crashBefore.withLock { $0 = false }
        // Twenty minutes of operator time: longer than the retry backoffs (10 s doubling to 5 min) a history of
        // failed savepoints can leave behind.
        for _ in 0..<200 {
            try await pass()
            if try await converged() { return }
            world.advance(by: .seconds(6))
        }
        let job = try? await world.job(FaultSimulation.name)
        record(.convergence, "not converged: phase=\(job?.status?.phase?.rawValue ?? "gone") message=\(job?.status?.message ?? "-") "
            + "live=\(world.liveFlinkJobs(FaultSimulation.name).map { "\($0.id) \($0.state)" })\n"
            + "status: stop=\(String(describing: job?.status?.stop)) pending=\(String(describing: job?.status?.savepoints?.pending)) "
            + "retry=\(String(describing: job?.status?.retry))\n"
            + (schedule.batch == nil ? "" : "\(FaultSimulation.batchName): \(String(describing: (try? await world.job(FaultSimulation.batchName))?.status?.phase)) "
                + "live=\(world.liveFlinkJobs(FaultSimulation.batchName).count)\n")
            + "Flink, last 12:\n"
            + world.flink.history.split(separator: "\n").suffix(12).joined(separator: "\n"))
    }

    func converged() async throws -> Bool {
        guard try await streamingConverged() else { return false }
        return try await batchConverged()
    }

    /// The batch job keeps its schedule: its status is for the generation, it is between runs or in one, and at
    /// most one run is live.
    func batchConverged() async throws -> Bool {
        guard schedule.batch != nil else { return true }
        guard let job = try? await world.job(FaultSimulation.batchName), let status = job.status,
            status.observedGeneration == job.metadata.generation
        else { return false }
        return [.scheduled, .running].contains(status.phase) && world.liveFlinkJobs(FaultSimulation.batchName).count <= 1
    }

    func streamingConverged() async throws -> Bool {
        let live = world.liveFlinkJobs(FaultSimulation.name)
        guard let job = try? await world.job(FaultSimulation.name) else { return deleted && live.isEmpty }
        guard !deleted else { return false }
        guard let status = job.status, status.observedGeneration == job.metadata.generation else { return false }
        if job.spec.state == .suspended { return status.phase == .suspended && live.isEmpty }
        let ready = status.conditions?.first { $0.type == "Ready" }?.status == .true
        return status.phase == .running && ready && live.count == 1 && live.first.map { "\($0.id)" } == status.job?.id
    }
}
