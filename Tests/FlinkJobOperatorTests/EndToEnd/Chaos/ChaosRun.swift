import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import Kubernetes
import KubernetesEmulator

/// Runs chaos schedules (`ChaosSchedule`) one after another against the built operator binary (with leader
/// election, so every restart takes the Lease again), the API emulator and one dedicated real Flink session
/// cluster, and checks the invariants with `FlinkJobMonitor` while each runs and convergence after it.
final class ChaosRun {
    struct Outcome: Sendable {
        var seed: UInt64
        var faults: Int
        var flinkJobs: Int
        /// Flink jobs started after state existed whose restore Flink confirmed.
        var restoresVerified: Int
        /// Observations of Flink's job list (each one checked for two live jobs).
        var observations: Int
        var violations: [String]
        var seconds: Double
        var trace: [String]

        var report: String {
            (["chaos seed \(seed): \(violations.count) violation(s), \(faults) faults, \(flinkJobs) Flink jobs, "
                + "\(restoresVerified) restores verified, \(observations) observations, "
                + String(format: "%.0f s", seconds)] + violations.map { "  \($0)" } + trace.map { "    \($0)" })
                .joined(separator: "\n")
        }
    }

    let environment: EndToEndEnvironment
    let flink: FlinkTestCluster
    private(set) var operators: [OperatorUnderTest] = []
    private var current: OperatorUnderTest?

    init(environment: EndToEndEnvironment, flink: FlinkTestCluster) {
        self.environment = environment
        self.flink = flink
    }

    func startOperator() throws {
        let started = try OperatorUnderTest.start(environment, name: "chaos-\(operators.count)", leaderElection: true)
        operators.append(started)
        current = started
    }

    /// What the Deployment's restart policy does: a replica that exited by itself (it lost the Lease, e.g. while
    /// the API server was down past its renew deadline) is replaced.
    func ensureOperatorRunning() throws {
        if let current, current.isRunning { return }
        if current != nil { selfExits += 1 }
        try startOperator()
    }

    /// How often a replica exited on its own (lost leadership) and was replaced.
    private(set) var selfExits = 0

    func killOperator() async throws {
        try await current?.crash()
        current = nil
    }

    func stopOperator() async {
        if let current, current.isRunning { _ = try? await current.terminate() }
        current = nil
    }

    func run(_ schedule: ChaosSchedule) async throws -> Outcome {
        let began = ContinuousClock.now
        let name = EndToEndEnvironment.uniqueName("chaos-\(schedule.seed)")
        let monitor = FlinkJobMonitor(flinkName: "\(EndToEndEnvironment.namespace)/\(name)", client: environment.flinkClient)
        let watching = Task { await monitor.run() }
        defer { watching.cancel() }
        var trace: [String] = []
        var violations: [String] = []
        try ensureOperatorRunning()
        var manifest = environment.streamingJob(name, upgradeMode: schedule.lastState ? .lastState : .savepoint)
        // Checkpoints the operator can see (its --state-dir holds the Flink instances' directories): LastState needs them.
        manifest.spec.checkpointing = .init(interval: "1s")
        _ = try await environment.jobs.create(manifest)
        do {
            try await environment.waitUntilReady(name, timeout: .seconds(120))
        } catch {
            let job = try? await environment.jobs.get(name)
            throw ChaosError.notReady("\(error); status: \(String(describing: job?.status))")
        }
        trace.append("created, Ready")
        for (index, planned) in schedule.steps.enumerated() {
            try ensureOperatorRunning()
            try await perform(planned.step, on: name)
            try await Task.sleep(for: .milliseconds(planned.settleMillis))
            let job = try? await environment.jobs.get(name)
            trace.append("\(index): \(planned.step) → exits=\(selfExits) phase=\(job?.status?.phase?.rawValue ?? "-") seq=\(job?.status?.deploySequence ?? 0)")
        }
        // The faults stop: the operator runs, the API answers, the JobManager is up.
        environment.emulator.clearFaults()
        try ensureOperatorRunning()
        do {
            try await converged(name)
            trace.append("converged")
        } catch {
            let job = try? await environment.jobs.get(name)
            violations.append("not converged: \(error); phase=\(job?.status?.phase?.rawValue ?? "-") message=\(job?.status?.message ?? "-")")
        }
        // Jobs that had not run long enough for the restore check get it now.
        try? await poll("restore checked for every running job", timeout: .seconds(20), interval: .milliseconds(500)) {
            await monitor.observe()
            return monitor.unchecked.isEmpty
        }
        // Deleting the FlinkJob leaves nothing running in Flink.
        try await environment.jobs.delete(name)
        do {
            try await poll("\(name) deleted and nothing left running", timeout: .seconds(120), interval: .milliseconds(500), retryErrors: true) {
                try self.ensureOperatorRunning()
                let gone = (try? await self.environment.jobs.get(name)) == nil
                let live = try await self.environment.flinkJobs(named: name).filter { !$0.state.isGloballyTerminal }
                return gone && live.isEmpty
            }
        } catch {
            violations.append("after delete: \(error)")
        }
        watching.cancel()
        violations = monitor.violations + violations
        let elapsed = began.duration(to: .now)
        return Outcome(
            seed: schedule.seed, faults: schedule.faultCount, flinkJobs: monitor.jobs.count,
            restoresVerified: monitor.jobs.filter { $0.stateExistedBefore && $0.restored == true }.count,
            observations: monitor.observations, violations: violations,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, trace: trace)
    }

    private func perform(_ step: ChaosSchedule.Step, on name: String) async throws {
        switch step {
        case .editArgs(let rate): try await environment.editSpec(name) { $0.args = ["--rate", "\(rate)", "--checkpoint-interval", "500"] }
        case .savepointNonce: try await environment.editSpec(name) { $0.savepointNonce = ($0.savepointNonce ?? 0) + 1 }
        case .toggleUpgradeMode: try await environment.editSpec(name) { $0.upgradeMode = $0.upgradeMode == .savepoint ? .lastState : .savepoint }
        case .suspend: try await environment.editSpec(name) { $0.state = .suspended }
        case .resume: try await environment.editSpec(name) { $0.state = .running }
        case .killOperator(let down):
            try await killOperator()
            try await Task.sleep(for: .milliseconds(down))
            try startOperator()
        case .killDuringUpgrade(let after):
            try await environment.editSpec(name) { $0.args = ["--rate", "\(after % 20 + 1)", "--checkpoint-interval", "500"] }
            try await Task.sleep(for: .milliseconds(after))
            try await killOperator()
            try startOperator()
        case .jobManagerRestart(let losingJars):
            try await flink.restart(losingJars: losingJars)
        case .apiStatusErrors(let status, let count):
            environment.emulator.inject(FaultRule(matching: .init(method: "PUT", path: .regex("/status$")), status: status, count: count))
        case .apiDown(let millis):
            environment.emulator.inject(FaultRule(matching: .init(), status: 503, count: nil))
            try await Task.sleep(for: .milliseconds(millis))
            environment.emulator.clearFaults()
        }
    }

    /// Ready for the current generation with exactly the recorded Flink job live (or suspended with none).
    private func converged(_ name: String) async throws {
        try await poll("\(name) converged", timeout: .seconds(240), interval: .milliseconds(500), retryErrors: true) {
            try self.ensureOperatorRunning()
            let job = try await self.environment.jobs.get(name)
            guard let status = job.status, status.observedGeneration == job.metadata.generation else { return false }
            let live = try await self.environment.flinkJobs(named: name).filter { !$0.state.isGloballyTerminal }
            if job.spec.state == .suspended { return status.phase == .suspended && live.isEmpty }
            let ready = status.conditions?.first { $0.type == "Ready" }?.status == .true
            return ready && live.count == 1 && live.first?.id.hexString == status.job?.id
        }
    }
}

enum ChaosError: Error, CustomStringConvertible {
    case notReady(String)

    var description: String {
        switch self {
        case .notReady(let why): "the new FlinkJob never became Ready: \(why)"
        }
    }
}
