import FlinkREST

/// One vertex of a model job: a chain of operators with its parallelism bounds.
struct ModelVertex: Sendable, Hashable {
    /// Stable for the same vertex name (like an operator uid), so savepoints map between runs of a program.
    let id: String
    let name: String
    let maxParallelism: Int
    /// The adaptive scheduler's requirements (`resource-requirements`); the default scheduler uses `upperBound`.
    var lowerBound: Int
    var upperBound: Int
    /// The parallelism it runs with now.
    var parallelism: Int

    /// A vertex id derived from `name` (two 64-bit FNV-1a hashes, 32 hex digits).
    static func id(forName name: String, index: Int) -> String {
        func fnv(_ seed: UInt64) -> String {
            var hash = seed
            for byte in "\(index):\(name)".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            let text = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - text.utf8.count) + text
        }
        return fnv(0xCBF2_9CE4_8422_2325) + fnv(0x84222325CBF29CE4)
    }
}

/// Where a job was restored from at submission.
struct RestoreSource: Sendable, Hashable {
    var snapshot: StoredSnapshot
    var allowNonRestoredState: Bool
    var claimMode: ClaimMode
}

/// One job as the model's JobManager holds it: what was submitted, where it is in its life, and its history.
struct ModelJob: Sendable {
    let id: FlinkJobID
    let name: String
    let jarID: String
    let entryClass: String?
    let request: JarRunRequest
    let settings: JobSettings
    let behaviour: ProgramBehaviour
    /// `Default`, `Adaptive` or `AdaptiveBatch`.
    let schedulerType: String
    let submittedAt: Int64
    let restore: RestoreSource?

    var vertices: [ModelVertex]
    /// Task slots the job holds (with slot sharing: its highest vertex parallelism).
    var slots = 0
    var phase: JobPhase
    /// When the job entered each state (Flink's `timestamps`).
    var timestamps: [String: Int64] = [:]
    var lastModification: Int64
    var endedAt: Int64?
    var deployedAt: Int64?
    var checkpoints: CheckpointLedger
    /// Failures, newest first.
    var exceptions: [JobExceptionHistory.Entry] = []
    var numRestarts = 0
    /// Runs that failed (for `ProgramBehaviour.Failure.runs`).
    var failedRuns = 0
    /// The execution attempt of the tasks (grows with every restart and rescale).
    var attempt = 0
    var failureCause: FlinkFailureCause?
    /// When an accepted rescale (or an adaptive scale-up) takes effect.
    var pendingRescaleAt: Int64?
    /// Backpressure ratio per vertex id (absent: the cluster default).
    var backpressure: [String: Double] = [:]
    /// Messages of savepoints still to fail on purpose.
    var savepointFailures: [String] = []

    init(
        id: FlinkJobID, name: String, jarID: String, entryClass: String?, request: JarRunRequest,
        settings: JobSettings, behaviour: ProgramBehaviour, schedulerType: String, submittedAt: Int64,
        restore: RestoreSource?, vertices: [ModelVertex], phase: JobPhase
    ) {
        self.id = id
        self.name = name
        self.jarID = jarID
        self.entryClass = entryClass
        self.request = request
        self.settings = settings
        self.behaviour = behaviour
        self.schedulerType = schedulerType
        self.submittedAt = submittedAt
        self.restore = restore
        self.vertices = vertices
        self.phase = phase
        self.lastModification = submittedAt
        self.checkpoints = CheckpointLedger(restore: restore?.snapshot, claim: restore?.claimMode == .claim)
        timestamps[phase.state.rawValue] = submittedAt
    }

    var state: FlinkJobState { phase.state }

    /// Whether the scheduler runs the job with what it gets (adaptive, adaptive batch) rather than all or nothing.
    var takesWhatItGets: Bool { schedulerType != "Default" }

    /// The slots the job wants: its highest vertex upper bound (slot sharing puts one subtask of each vertex in
    /// a slot).
    var desiredSlots: Int { vertices.map(\.upperBound).max() ?? 1 }

    /// The slots the job needs at least to run.
    var minimumSlots: Int { takesWhatItGets ? max(1, vertices.map(\.lowerBound).max() ?? 1) : desiredSlots }

    /// Gives the job `slots` slots and sets each vertex's parallelism within its bounds.
    mutating func assign(slots: Int) {
        self.slots = slots
        for index in vertices.indices {
            vertices[index].parallelism = min(vertices[index].upperBound, slots)
        }
    }

    /// Moves to `phase` at `time`, stamping the state change.
    mutating func enter(_ phase: JobPhase, at time: Int64) {
        let changed = phase.state != self.phase.state
        self.phase = phase
        if changed {
            timestamps[phase.state.rawValue] = time
            lastModification = time
        }
    }

    /// The aggregate state of `vertex` (Flink's spelling): the failing vertex of a FAILED job is FAILED, the
    /// others were cancelled with it.
    func taskState(of vertex: ModelVertex) -> String? {
        guard phase == .ended(.failed) else { return phase.taskState }
        return vertex.id == vertices.first?.id ? "FAILED" : "CANCELED"
    }

    /// The task counts of `vertex` now (the failing vertex of a FAILED job has one FAILED subtask).
    func taskCounts(of vertex: ModelVertex) -> JobTaskCounts {
        let state = taskState(of: vertex)
        if state == "FAILED" {
            return JobTaskCounts(canceled: max(0, vertex.parallelism - 1), failed: min(1, vertex.parallelism))
        }
        return JobTaskCounts(state: state, count: vertex.parallelism)
    }

    /// Whether the JobMaster started and built the execution graph (vertices are shown from then on).
    var hasExecutionGraph = false

    /// The vertices Flink shows (none before the JobMaster started, e.g. while initializing or after a failed
    /// restore).
    var visibleVertices: [ModelVertex] {
        hasExecutionGraph ? vertices : []
    }
}
