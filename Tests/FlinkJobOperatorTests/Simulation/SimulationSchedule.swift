import FlinkModel
import Foundation

/// One seeded history of user actions and faults for the fault simulation: the same seed always yields the same
/// steps (the model's `SeededGenerator`, no global randomness).
struct SimulationSchedule: Sendable, CustomStringConvertible {
    enum Step: Sendable, Hashable, CustomStringConvertible {
        // Time and passes.
        case passes(Int, stepMillis: Int)
        // User actions.
        case editArgs(Int)
        case editParallelism(Int)
        case switchArtifact
        case toggleUpgradeMode
        case suspend
        case resume
        case savepointNonce
        case delete
        /// Time jumps to the batch job's next schedule slot (a minute).
        case nextScheduleSlot
        // Operator faults.
        case crash
        case crashAfterNextRun
        case crashBeforeNextFlinkChange
        case handOver
        case zombieWakes
        case stalePass(stepsAgo: Int)
        // API server faults on the status subresource (the operator's writes).
        case apiStatusErrors(status: Int, count: Int)
        // Flink faults.
        case flinkErrors(FlinkFault, count: Int)
        case jobManagerRestart(keepJars: Bool)
        case savepointFailures(Int)
        case checkpointFailures(Int)
        case jobFails

        enum FlinkFault: Sendable, Hashable { case serverError, timeout, htmlPage, unreachable, throttled }

        var isFault: Bool {
            switch self {
            case .passes, .editArgs, .editParallelism, .switchArtifact, .toggleUpgradeMode, .suspend, .resume,
                .savepointNonce, .delete, .nextScheduleSlot:
                false
            default: true
            }
        }

        var description: String {
            switch self {
            case .passes(let count, let step): "passes(\(count), every \(step) ms)"
            case .editArgs(let rate): "edit args --rate \(rate)"
            case .editParallelism(let parallelism): "edit parallelism \(parallelism)"
            case .switchArtifact: "switch artifact"
            case .toggleUpgradeMode: "toggle upgradeMode Savepoint/LastState"
            case .suspend: "suspend"
            case .resume: "resume"
            case .savepointNonce: "savepointNonce += 1"
            case .delete: "delete"
            case .nextScheduleSlot: "a minute passes (the batch job's next schedule slot)"
            case .crash: "operator crash + restart"
            case .crashAfterNextRun: "crash right after the next jars/run"
            case .crashBeforeNextFlinkChange: "crash before the next Flink change"
            case .handOver: "leader hand-over (old leader paused past its deadline)"
            case .zombieWakes: "a spec edit, and the paused old leader wakes up for one pass first"
            case .stalePass(let ago): "pass from a cache \(ago) steps stale"
            case .apiStatusErrors(let status, let count): "API \(status) on the next \(count) status writes"
            case .flinkErrors(let fault, let count): "Flink \(fault) on the next \(count) calls"
            case .jobManagerRestart(let keep): "JobManager restart (\(keep ? "jars kept" : "jars lost"))"
            case .savepointFailures(let count): "\(count) savepoint failures"
            case .checkpointFailures(let count): "\(count) checkpoint failures"
            case .jobFails: "the job fails"
            }
        }
    }

    let seed: UInt64
    let upgradeModeIsLastState: Bool
    /// Whether a cron batch FlinkJob runs alongside the streaming one, and with which concurrency policy
    /// (`Forbid` skips a slot while a run is active, `Replace` cancels it first).
    let batch: BatchPolicy?
    let steps: [Step]

    enum BatchPolicy: String, Sendable { case forbid = "Forbid", replace = "Replace" }

    var faultCount: Int { steps.filter(\.isFault).count }

    var description: String {
        "seed \(seed) (\(upgradeModeIsLastState ? "LastState" : "Savepoint")\(batch.map { ", a cron batch job, \($0.rawValue)" } ?? "")):\n"
            + steps.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }

    /// The schedule of `seed`: 12–30 steps, about a third of them faults, a delete near the end in one of five; in
    /// one seed of six a cron batch job too, with minute-long jumps to its schedule slots.
    init(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        self.seed = seed
        upgradeModeIsLastState = random.next() % 4 == 0
        var steps: [Step] = [.passes(3, stepMillis: 500)]
        let count = 12 + Int(random.next() % 19)
        for _ in 0..<count {
            steps.append(Self.step(&random))
            steps.append(.passes(1 + Int(random.next() % 4), stepMillis: [200, 500, 1000, 3000][Int(random.next() % 4)]))
        }
        if random.next() % 5 == 0 { steps.append(.delete) }
        // The batch job draws from a generator of its own, so the streaming histories of other seeds stay as they were.
        var batchRandom = SeededGenerator(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        switch batchRandom.next() % 12 {
        case 0: batch = .forbid
        case 1: batch = .replace
        default: batch = nil
        }
        if batch != nil {
            var withSlots: [Step] = []
            for step in steps {
                withSlots.append(step)
                if batchRandom.next() % 5 == 0 { withSlots += [.nextScheduleSlot, .passes(2, stepMillis: 500)] }
            }
            steps = withSlots
        }
        self.steps = steps
    }

    /// A given history (a shrunk schedule, a regression test's steps) run under `seed`'s world.
    init(seed: UInt64, upgradeModeIsLastState: Bool, batch: BatchPolicy?, steps: [Step]) {
        self.seed = seed
        self.upgradeModeIsLastState = upgradeModeIsLastState
        self.batch = batch
        self.steps = steps
    }

    /// This history without the steps in `range`.
    func removing(_ range: Range<Int>) -> SimulationSchedule {
        var steps = steps
        steps.removeSubrange(range)
        return SimulationSchedule(seed: seed, upgradeModeIsLastState: upgradeModeIsLastState, batch: batch, steps: steps)
    }

    private static func step(_ random: inout SeededGenerator) -> Step {
        switch random.next() % 26 {
        case 0, 1: return .editArgs(1 + Int(random.next() % 50))
        case 2: return .editParallelism(1 + Int(random.next() % 3))
        case 3: return .switchArtifact
        case 4: return .toggleUpgradeMode
        case 5: return .suspend
        case 6, 7: return .resume
        case 8: return .savepointNonce
        case 9: return .crash
        case 10, 11: return .crashAfterNextRun
        case 12: return .crashBeforeNextFlinkChange
        case 13: return .handOver
        case 14: return .zombieWakes
        case 15, 16: return .stalePass(stepsAgo: 1 + Int(random.next() % 4))
        case 17: return .apiStatusErrors(status: [500, 503, 429, 409][Int(random.next() % 4)], count: 1 + Int(random.next() % 3))
        case 18, 19:
            let faults: [Step.FlinkFault] = [.serverError, .timeout, .htmlPage, .unreachable, .throttled]
            return .flinkErrors(faults[Int(random.next() % 5)], count: 1 + Int(random.next() % 4))
        case 20, 21: return .jobManagerRestart(keepJars: random.next() % 2 == 0)
        case 22: return .savepointFailures(1 + Int(random.next() % 2))
        case 23: return .checkpointFailures(1 + Int(random.next() % 3))
        case 24: return .jobFails
        default: return .editArgs(1 + Int(random.next() % 50))
        }
    }
}

