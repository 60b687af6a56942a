import FlinkModel

/// One seeded schedule of the real-Flink chaos run: spec edits and faults against the built operator binary, the
/// API emulator and a real Flink session cluster. The same seed always gives the same steps (the waits between
/// them are real time, so what each step meets is not reproducible the way a simulation seed is).
struct ChaosSchedule: Sendable, CustomStringConvertible {
    enum Step: Sendable, Hashable, CustomStringConvertible {
        // User actions.
        case editArgs(rate: Int)
        case savepointNonce
        case toggleUpgradeMode
        case suspend
        case resume
        // Faults.
        /// SIGKILL, the operator down for this long, then a new process.
        case killOperator(downMillis: Int)
        /// A spec edit, then SIGKILL this long after it (in the middle of the upgrade it starts).
        case killDuringUpgrade(afterMillis: Int)
        /// The JobManager and TaskManager restart (without HA: every job lost), perhaps with the uploaded jars.
        case jobManagerRestart(losingJars: Bool)
        /// The API server answers the operator's next status writes with `status`.
        case apiStatusErrors(status: Int, count: Int)
        /// The API server refuses every request of the operator for this long.
        case apiDown(millis: Int)

        var isFault: Bool {
            switch self {
            case .editArgs, .savepointNonce, .toggleUpgradeMode, .suspend, .resume: false
            case .killOperator, .killDuringUpgrade, .jobManagerRestart, .apiStatusErrors, .apiDown: true
            }
        }

        var description: String {
            switch self {
            case .editArgs(let rate): "edit args --rate \(rate)"
            case .savepointNonce: "savepointNonce += 1"
            case .toggleUpgradeMode: "toggle upgradeMode"
            case .suspend: "suspend"
            case .resume: "resume"
            case .killOperator(let down): "SIGKILL the operator, \(down) ms down"
            case .killDuringUpgrade(let after): "edit args, SIGKILL the operator \(after) ms later"
            case .jobManagerRestart(let losing): "JobManager restart (\(losing ? "jars lost" : "jars kept"))"
            case .apiStatusErrors(let status, let count): "API \(status) on the next \(count) status writes"
            case .apiDown(let millis): "API down for \(millis) ms"
            }
        }
    }

    let seed: UInt64
    let lastState: Bool
    /// Each step and how long to let the system run after it.
    let steps: [(step: Step, settleMillis: Int)]

    var faultCount: Int { steps.filter(\.step.isFault).count }

    var description: String {
        "chaos seed \(seed) (\(lastState ? "LastState" : "Savepoint")):\n"
            + steps.enumerated().map { "  \($0.offset): \($0.element.step), then \($0.element.settleMillis) ms" }.joined(separator: "\n")
    }

    /// Eight steps, at least half of them faults.
    init(seed: UInt64) {
        var random = SeededGenerator(seed: seed &* 7919 &+ 17)
        self.seed = seed
        lastState = random.next() % 3 == 0
        var steps: [(Step, Int)] = []
        for index in 0..<8 {
            let fault = index % 2 == 1 || random.next() % 3 == 0
            let step = fault ? Self.fault(&random) : Self.action(&random)
            steps.append((step, 1500 + Int(random.next() % 6000)))
        }
        self.steps = steps
    }

    private static func action(_ random: inout SeededGenerator) -> Step {
        switch random.next() % 6 {
        case 0, 1: .editArgs(rate: 1 + Int(random.next() % 20))
        case 2: .savepointNonce
        case 3: .toggleUpgradeMode
        case 4: .suspend
        default: .resume
        }
    }

    private static func fault(_ random: inout SeededGenerator) -> Step {
        switch random.next() % 8 {
        case 0, 1: .killOperator(downMillis: Int(random.next() % 3000))
        case 2, 3: .killDuringUpgrade(afterMillis: 100 + Int(random.next() % 2500))
        case 4, 5: .jobManagerRestart(losingJars: random.next() % 2 == 0)
        case 6: .apiStatusErrors(status: [500, 503, 429, 409][Int(random.next() % 4)], count: 1 + Int(random.next() % 4))
        default: .apiDown(millis: 1000 + Int(random.next() % 4000))
        }
    }
}
