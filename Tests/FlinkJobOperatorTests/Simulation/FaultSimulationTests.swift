import Foundation
import Testing

/// The seeded fault simulation (`FaultSimulation`): a fixed slice of seeds in CI, the mutants it must catch, and
/// the long run (`scripts/fault-simulation.sh`, `FJC_SIMULATION_SEEDS`).
@Suite struct FaultSimulationTests {
    /// Runs `seeds` `parallel` at a time (`FJC_SIMULATION_PARALLEL`, default 4: a history waits on its in-process
    /// API server often enough that two cores stay busy only with more than two in flight); returns every result.
    static func run(_ seeds: ClosedRange<UInt64>, mutant: FaultSimulation.Mutant = .none, parallel: Int = defaultParallel)
        async throws -> [FaultSimulation.Result]
    {
        try await withThrowingTaskGroup(of: FaultSimulation.Result.self) { group in
            var results: [FaultSimulation.Result] = []
            var next = seeds.lowerBound
            func add() {
                let seed = next
                group.addTask { try await FaultSimulation.run(seed: seed, mutant: mutant) }
                next += 1
            }
            while next <= seeds.upperBound, next < seeds.lowerBound + UInt64(parallel) { add() }
            while let result = try await group.next() {
                results.append(result)
                if next <= seeds.upperBound { add() }
            }
            return results.sorted { $0.seed < $1.seed }
        }
    }

    static let defaultParallel = ProcessInfo.processInfo.environment["FJC_SIMULATION_PARALLEL"].flatMap(Int.init) ?? 4

    static func summary(_ results: [FaultSimulation.Result], started: ContinuousClock.Instant) -> String {
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let faults = results.map(\.faults).reduce(0, +)
        let violating = results.filter { !$0.violations.isEmpty }
        return String(
            format: "%d seeds in %.1f s (%.2f seeds/s), %.1f faults/seed, %.0f Flink calls/seed, %d violating seed(s)",
            results.count, seconds, Double(results.count) / seconds, Double(faults) / Double(max(1, results.count)),
            Double(results.map(\.flinkCalls).reduce(0, +)) / Double(max(1, results.count)), violating.count)
    }

    /// The CI slice: seeds 1...300 (about two and a half minutes in a debug build on two cores).
    static let ciSeeds = UInt64(ProcessInfo.processInfo.environment["FJC_SIMULATION_CI_SEEDS"].flatMap(Int.init) ?? 300)

    /// The first seed (of the CI slice) on which the harness catches `mutant`, and what it found; searched once
    /// per process (two tests need the fencing mutant's catch).
    static func firstCatch(of mutant: FaultSimulation.Mutant) async throws -> FaultSimulation.Result? {
        let search = catches.withLock { searches in
            if let running = searches[mutant] { return running }
            let started = Task { try await searchFirstCatch(of: mutant) }
            searches[mutant] = started
            return started
        }
        return try await search.value
    }

    private static let catches = Locked<[FaultSimulation.Mutant: Task<FaultSimulation.Result?, any Error>]>([:])

    private static func searchFirstCatch(of mutant: FaultSimulation.Mutant) async throws -> FaultSimulation.Result? {
        var seed: UInt64 = 1
        while seed <= ciSeeds {
            let results = try await run(seed...min(seed + 1, ciSeeds), mutant: mutant)
            if let caught = results.first(where: { !$0.violations.isEmpty }) { return caught }
            seed += 2
        }
        return nil
    }

    @Test(arguments: [
        (FaultSimulation.Mutant.ignoresLeadership, Violation.Invariant.fencing),
        (.forgetsRestorePath, .statelessStart),
        (.randomJobIDs, .twoLiveJobs),
    ])
    func theHarnessCatchesABrokenOperator(mutant: FaultSimulation.Mutant, expected: Violation.Invariant) async throws {
        let caught = try #require(try await Self.firstCatch(of: mutant), "\(mutant) survived \(Self.ciSeeds) seeds")
        #expect(caught.violations.contains { $0.invariant == expected }, "\(caught.report)")
        print("mutant \(mutant) caught by seed \(caught.seed): \(caught.violations.first.map { "\($0)" } ?? "")")
    }

    @Test func aViolationShrinksToTheStepsThatCauseIt() async throws {
        let caught = try #require(try await Self.firstCatch(of: .ignoresLeadership))
        let original = SimulationSchedule(seed: caught.seed)
        let shrunk = try await ScheduleShrinker.shrink(original, violating: caught, mutant: .ignoresLeadership)
        print("seed \(caught.seed): \(original.steps.count) steps shrunk to \(shrunk.schedule.steps.count) in \(shrunk.runs) runs:\n\(shrunk.schedule)")
        #expect(shrunk.result.violations.contains { $0.invariant == .fencing }, "\(shrunk.report)")
        #expect(shrunk.schedule.steps.count < original.steps.count / 3, "\(shrunk.report)")
        // Only a paused old leader that wakes up acts without the lease: both steps must survive, in that order.
        let handOver = shrunk.schedule.steps.firstIndex(of: .handOver)
        let wakes = shrunk.schedule.steps.firstIndex(of: .zombieWakes)
        #expect(handOver != nil && wakes != nil && handOver! < wakes!, "\(shrunk.report)")
    }

    /// Seeds that found bugs, kept whatever the slice becomes. Seed 4: a cron job whose controller had been away
    /// for weeks started runs for times 1,000 slots back and, under Replace, restarted its run on every pass.
    @Test(arguments: [4 as UInt64])
    func aSeedThatFoundABugKeepsEveryPromise(seed: UInt64) async throws {
        let result = try await FaultSimulation.run(seed: seed)
        #expect(result.violations.isEmpty, "\(result.report)")
    }

    /// Seed 71, shrunk: the job checkpointed but timeouts hid it from the operator, a JobManager restart lost it,
    /// and a restarted operator whose first cluster probe timed out resubmitted it empty — without the probe it
    /// knew no checkpoint directory to look in. Jobs now wait for their cluster's first answered probe.
    @Test func aLostJobWaitsForItsClusterToBeProbedBeforeChoosingItsRestorePoint() async throws {
        let schedule = SimulationSchedule(seed: 71, upgradeModeIsLastState: false, batch: nil, steps: [
            .passes(3, stepMillis: 500), .flinkErrors(.timeout, count: 4), .jobManagerRestart(keepJars: true),
            .passes(3, stepMillis: 500), .crash, .passes(1, stepMillis: 3000),
        ])
        let result = try await FaultSimulation.run(schedule)
        #expect(result.violations.isEmpty, "\(result.report)")
    }

    @Test func theCISliceKeepsEveryPromise() async throws {
        let started = ContinuousClock.now
        let results = try await Self.run(1...Self.ciSeeds)
        print("fault simulation (CI slice): \(Self.summary(results, started: started))")
        try await Self.report(results.filter { !$0.violations.isEmpty }, mutant: .none)
    }

    /// Records each violating result as an issue, with its history shrunk to the steps that matter.
    static func report(_ violating: [FaultSimulation.Result], mutant: FaultSimulation.Mutant) async throws {
        for result in violating {
            let schedule = SimulationSchedule(seed: result.seed)
            let shrunk = try await ScheduleShrinker.shrink(schedule, violating: result, mutant: mutant, budget: 60)
            Issue.record("\(result.report)\n\(schedule)\n\nminimal: \(shrunk.report)")
        }
    }
}

/// One seed, for reproducing a report: `FJC_SIMULATION_SEED=N [FJC_SIMULATION_MUTANT=name] swift test --filter FaultSimulationReplay`.
@Suite struct FaultSimulationReplay {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FJC_SIMULATION_SEED"] != nil))
    func replay() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = UInt64(environment["FJC_SIMULATION_SEED"] ?? "") ?? 1
        let mutant = environment["FJC_SIMULATION_MUTANT"].flatMap(FaultSimulation.Mutant.init(rawValue:)) ?? FaultSimulation.Mutant.none
        let result = try await FaultSimulation.run(seed: seed, mutant: mutant)
        print(result.report)
        print(SimulationSchedule(seed: seed))
        if !result.violations.isEmpty {
            let shrunk = try await ScheduleShrinker.shrink(SimulationSchedule(seed: seed), violating: result, mutant: mutant)
            print("minimal: \(shrunk.report)")
        }
        #expect(result.violations.isEmpty)
    }
}

/// The long run (`scripts/fault-simulation.sh --seeds N --from S`): every seed of the range, a summary line with
/// the rates, and each violating seed's report.
@Suite struct FaultSimulationLongRun {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FJC_SIMULATION_SEEDS"] != nil))
    func longRun() async throws {
        let environment = ProcessInfo.processInfo.environment
        let count = UInt64(environment["FJC_SIMULATION_SEEDS"] ?? "") ?? 1000
        let from = UInt64(environment["FJC_SIMULATION_FROM"] ?? "") ?? 1
        let mutant = environment["FJC_SIMULATION_MUTANT"].flatMap(FaultSimulation.Mutant.init(rawValue:)) ?? FaultSimulation.Mutant.none
        let started = ContinuousClock.now
        var results: [FaultSimulation.Result] = []
        var next = from
        while next < from + count {
            let batch = try await FaultSimulationTests.run(next...min(next + 99, from + count - 1), mutant: mutant)
            results += batch
            next += 100
            print("fault simulation: \(FaultSimulationTests.summary(results, started: started))")
        }
        try await FaultSimulationTests.report(results.filter { !$0.violations.isEmpty }, mutant: mutant)
    }
}
