import FlinkREST

/// Where a job is in its life, with the model time its current step ends.
///
/// The Flink job state is a function of the phase (`state`), and so are the task states of its vertices
/// (`taskState`). Real Flink's order is INITIALIZING → CREATED → RUNNING (tasks SCHEDULED/DEPLOYING, then RUNNING).
enum JobPhase: Sendable, Hashable {
    /// The JobMaster is starting (restoring the savepoint): INITIALIZING, no execution graph yet.
    case initializing(until: Int64)
    /// Slots are being requested: CREATED.
    case scheduling(until: Int64)
    /// Adaptive and batch schedulers waiting for a first free slot: CREATED.
    case waitingForResources(since: Int64)
    /// The default scheduler lacks slots: RUNNING with every task SCHEDULED (gotcha 3).
    case waitingForSlots(since: Int64)
    /// Tasks are being deployed: RUNNING, tasks DEPLOYING.
    case deploying(until: Int64)
    /// Every task runs.
    case running(since: Int64)
    /// Being cancelled.
    case cancelling(until: Int64)
    /// Restarting after a task failure (tasks cancelled).
    case restarting(until: Int64)
    /// Ended for good: FINISHED, CANCELED or FAILED.
    case ended(FlinkJobState)

    /// The job state Flink reports.
    var state: FlinkJobState {
        switch self {
        case .initializing: .initializing
        case .scheduling, .waitingForResources: .created
        case .waitingForSlots, .deploying, .running: .running
        case .cancelling: .cancelling
        case .restarting: .restarting
        case .ended(let state): state
        }
    }

    /// The state of every task, Flink's spelling (`nil`: no execution graph, no vertices to show).
    var taskState: String? {
        switch self {
        case .initializing: nil
        case .scheduling, .waitingForResources: "CREATED"
        case .waitingForSlots: "SCHEDULED"
        case .deploying: "DEPLOYING"
        case .running: "RUNNING"
        case .cancelling: "CANCELING"
        case .restarting: "CANCELED"
        case .ended(let state): state == .finished ? "FINISHED" : state == .canceled ? "CANCELED" : "FAILED"
        }
    }

    /// Whether the job ended for good.
    var isEnded: Bool {
        if case .ended = self { return true }
        return false
    }

    /// Whether every task runs.
    var isRunning: Bool {
        if case .running = self { return true }
        return false
    }
}
