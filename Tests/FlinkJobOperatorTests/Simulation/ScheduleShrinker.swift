/// Shrinks a violating history to a small one that still breaks the same promise, so a report shows the few steps
/// that matter instead of thirty.
///
/// The search is delta debugging's complement removal (Zeller and Hildebrandt, "Simplifying and Isolating
/// Failure-Inducing Input"): drop a chunk of steps, keep the drop when the shorter history still violates the
/// invariant, and halve the chunk size when no chunk of the current size can go. Every candidate runs under the
/// original seed's world, so it is as reproducible as the seed itself.
enum ScheduleShrinker {
    struct Shrunk: Sendable {
        var schedule: SimulationSchedule
        var result: FaultSimulation.Result
        /// How many candidate histories were run.
        var runs: Int

        var report: String { "\(result.report)\nshrunk in \(runs) runs to \(schedule)" }
    }

    /// The smallest history found within `budget` runs that still violates `violating`'s first invariant.
    static func shrink(
        _ schedule: SimulationSchedule, violating result: FaultSimulation.Result, mutant: FaultSimulation.Mutant,
        budget: Int = 150
    ) async throws -> Shrunk {
        guard let target = result.violations.first?.invariant else { return Shrunk(schedule: schedule, result: result, runs: 0) }
        var best = Shrunk(schedule: schedule, result: result, runs: 0)
        var chunk = max(1, schedule.steps.count / 2)
        while best.runs < budget {
            var index = 0
            var removedAny = false
            while index < best.schedule.steps.count, best.runs < budget {
                let candidate = best.schedule.removing(index..<min(index + chunk, best.schedule.steps.count))
                best.runs += 1
                let outcome = try await FaultSimulation.run(candidate, mutant: mutant)
                if outcome.violations.contains(where: { $0.invariant == target }) {
                    best.schedule = candidate
                    best.result = outcome
                    removedAny = true
                } else {
                    index += chunk
                }
            }
            if removedAny { continue }
            if chunk == 1 { break }
            chunk /= 2
        }
        return best
    }
}
