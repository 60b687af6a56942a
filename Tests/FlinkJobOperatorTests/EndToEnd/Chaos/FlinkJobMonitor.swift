import FlinkREST
import Foundation
import Synchronization

/// Watches one FlinkJob's Flink jobs through the real Flink REST API during a chaos schedule and checks the
/// operator's promises against what Flink reports:
/// - at most one live (not globally terminal) Flink job at every observation;
/// - a job started after an earlier one had state (a completed checkpoint, or a stop-with-savepoint that
///   finished it) reports a restore in its checkpoint statistics.
///
/// It polls `GET /jobs/overview` every `interval` and each running job's `GET /jobs/:id/checkpoints`.
final class FlinkJobMonitor: Sendable {
    struct Observed: Sendable {
        var id: FlinkJobID
        var order: Int
        var lastState: FlinkJobState
        var completedCheckpoints = 0
        var runningSince: ContinuousClock.Instant?
        /// Whether Flink reported a restore; `nil` until checked (after the job ran `restoreCheckDelay`).
        var restored: Bool?
        /// Whether an earlier job of this FlinkJob had state when this one was first seen.
        var stateExistedBefore: Bool
    }

    private struct State {
        var jobs: [FlinkJobID: Observed] = [:]
        var violations: [String] = []
        var observations = 0
        var maxLive = 0
    }

    let flinkName: String
    private let client: FlinkRESTClient
    private let state = Mutex(State())
    private let restoreCheckDelay: Duration = .seconds(3)

    init(flinkName: String, client: FlinkRESTClient) {
        self.flinkName = flinkName
        self.client = client
    }

    var violations: [String] { state.withLock { $0.violations } }
    var jobs: [Observed] { state.withLock { Array($0.jobs.values).sorted { $0.order < $1.order } } }
    var observations: Int { state.withLock { $0.observations } }

    /// Polls until the task is cancelled.
    func run(interval: Duration = .milliseconds(300)) async {
        while !Task.isCancelled {
            await observe()
            try? await Task.sleep(for: interval)
        }
    }

    /// One observation: the overview, then the checkpoint statistics of each running job.
    func observe() async {
        guard let overview = try? await client.jobsOverview() else { return }
        let mine = overview.filter { $0.name == flinkName }.sorted { $0.startTime < $1.startTime }
        let live = mine.filter { !$0.state.isGloballyTerminal }
        let now = ContinuousClock.now
        let toCheck: [FlinkJobID] = state.withLock { state in
            state.observations += 1
            state.maxLive = max(state.maxLive, live.count)
            if live.count > 1 {
                state.violations.append("two live Flink jobs: \(live.map { "\($0.id) \($0.state)" })")
            }
            for job in mine {
                if state.jobs[job.id] == nil {
                    let hadState = state.jobs.values.contains { $0.completedCheckpoints > 0 || $0.lastState == .finished }
                    state.jobs[job.id] = Observed(id: job.id, order: state.jobs.count, lastState: job.state, stateExistedBefore: hadState)
                }
                state.jobs[job.id]?.lastState = job.state
                if job.state == .running, state.jobs[job.id]?.runningSince == nil { state.jobs[job.id]?.runningSince = now }
            }
            return live.filter { $0.state == .running }.map(\.id)
        }
        for id in toCheck {
            guard let statistics = try? await client.checkpointStatistics(id) else { continue }
            state.withLock { state in
                guard var job = state.jobs[id] else { return }
                job.completedCheckpoints = max(job.completedCheckpoints, statistics.counts.completed)
                if job.restored == nil, let since = job.runningSince, since.duration(to: now) >= restoreCheckDelay {
                    job.restored = statistics.latest.restored != nil || statistics.counts.restored > 0
                    if job.stateExistedBefore, job.restored == false {
                        state.violations.append("Flink job \(id) started without a restore although an earlier job of \(flinkName) had state")
                    }
                }
                state.jobs[id] = job
            }
        }
    }

    /// The jobs whose restore was not yet checked (they never ran long enough).
    var unchecked: [Observed] { jobs.filter { $0.restored == nil && !$0.lastState.isGloballyTerminal } }
}
