import FlinkModel
import FlinkREST
import Foundation

@testable import FlinkJobOperator

/// A broken promise found in one simulated history.
struct Violation: Sendable, CustomStringConvertible {
    enum Invariant: String, Sendable {
        case twoLiveJobs = "at most one live Flink job per FlinkJob"
        case statelessStart = "a stateful job never starts without its state"
        case savepointLost = "every stop-with-savepoint's savepoint is restored next or still recorded"
        case fencing = "no Flink change without leadership"
        case convergence = "converges once faults stop"
        case regression = "status never regresses"
        case staleScheduleTime = "a scheduled run starts for the newest due time, once"
    }

    var invariant: Invariant
    var step: Int
    var detail: String

    var description: String { "[\(invariant.rawValue)] at step \(step): \(detail)" }
}

/// The checks over a history that need the whole of it: what Flink's effects and events say about state.
enum HistoryInvariants {
    /// Every `jars/run` after state existed carries a restore path (the simulation never makes a job stateless),
    /// and each stop-with-savepoint's savepoint is what the next run restores from — or, when no run followed,
    /// still in the FlinkJob's status (or the FlinkJob was deleted with it as its final savepoint).
    static func check(
        effects: [ModelEffect], events: [ModelEvent], finalStatus: FlinkJobStatus?, deleted: Bool, stepAt: (Int) -> Int
    ) -> [Violation] {
        var violations: [Violation] = []
        var stateExists = false
        var pendingStop: (location: String, sequence: Int)?
        var stopTriggers: Set<FlinkTriggerID> = []
        let timeline: [(sequence: Int, item: Either)] =
            (effects.map { ($0.sequence, Either.effect($0)) } + events.map { ($0.sequence, Either.event($0)) })
            .sorted { $0.0 < $1.0 }
        for (sequence, item) in timeline {
            switch item {
            case .event(let event):
                switch event.kind {
                case .checkpointCompleted:
                    stateExists = true
                case .savepointCompleted(_, let trigger, let location):
                    stateExists = true
                    if stopTriggers.contains(trigger) { pendingStop = (location, sequence) }
                default: break
                }
            case .effect(let effect):
                switch effect.call {
                case .stopWithSavepoint(_, _, _, let trigger?):
                    stopTriggers.insert(trigger)
                case .runJar(_, let request):
                    // Only the streaming job has state; a batch job's runs start empty by design.
                    guard request.flinkConfiguration?["execution.runtime-mode"] != "BATCH" else { continue }
                    if stateExists, request.savepointPath == nil {
                        violations.append(.init(
                            invariant: .statelessStart, step: stepAt(sequence),
                            detail: "jars/run of \(request.jobID.map { "\($0)" } ?? "?") without a restore path after state existed"))
                    }
                    if let stop = pendingStop {
                        if request.savepointPath != stop.location {
                            violations.append(.init(
                                invariant: .savepointLost, step: stepAt(sequence),
                                detail: "the run after the stop savepoint \(stop.location) restores from \(request.savepointPath ?? "nothing")"))
                        }
                        if case .submitted = effect.outcome { pendingStop = nil }
                    }
                default: break
                }
            }
        }
        if let stop = pendingStop, !deleted {
            let recorded = [finalStatus?.savepoints?.last?.location].compactMap { $0 }
                + (finalStatus?.savepoints?.history ?? []).map(\.location)
            if !recorded.contains(stop.location) {
                violations.append(.init(
                    invariant: .savepointLost, step: stepAt(stop.sequence),
                    detail: "the stop savepoint \(stop.location) was neither restored nor recorded in status"))
            }
        }
        return violations
    }

    private enum Either {
        case effect(ModelEffect)
        case event(ModelEvent)
    }
}
