import FlinkREST

/// A job as the model holds it, for invariant checks.
public struct ModelJobInfo: Sendable, Hashable {
    /// The job id.
    public var id: FlinkJobID
    /// The job name (the program's own, else `pipeline.name`).
    public var name: String
    /// The state Flink reports.
    public var state: FlinkJobState
    /// The jar it was run from.
    public var jarID: String
    /// The entry class that ran.
    public var entryClass: String?
    /// The run request as submitted.
    public var request: JarRunRequest
    /// The snapshot it was restored from at submission (`nil`: a fresh start, or the restore failed).
    public var restoredFrom: String?
    /// Whether it runs in batch mode.
    public var isBatch: Bool
    /// The parallelism of each vertex now.
    public var parallelism: [Int]
    /// Task counts over its vertices now (what `jobDetails` sums up).
    public var tasks: JobTaskCounts
    /// Task slots it holds.
    public var slots: Int
    /// Restarts so far.
    public var numRestarts: Int
    /// Submission time (epoch ms).
    public var submittedAt: Int64
    /// End time (epoch ms), `nil` while not ended.
    public var endedAt: Int64?
}

/// What tests read to assert on effects and invariants.
extension InMemoryFlink {
    /// Every mutating call that reached the JobManager, in order.
    public var effects: [ModelEffect] {
        state.withLock { $0.effects }
    }

    /// Everything the model did on its own or because of a fault, in order (same sequence as `effects`).
    public var events: [ModelEvent] {
        state.withLock { $0.events }
    }

    /// Effects and events merged in sequence order, one line each (for failure messages).
    public var history: String {
        state.withLock { state in
            let lines = state.effects.map { ($0.sequence, $0.description) } + state.events.map { ($0.sequence, $0.description) }
            return lines.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
        }
    }

    /// Every job the JobManager remembers, in submission order.
    public var allJobs: [ModelJobInfo] {
        state.withLock { $0.jobManager.jobs.map(Self.info) }
    }

    /// The job `id`, if the JobManager remembers it.
    public func job(_ id: FlinkJobID) -> ModelJobInfo? {
        state.withLock { state in state.jobManager.index(of: id).map { Self.info(state.jobManager.jobs[$0]) } }
    }

    /// Jobs not globally terminal (not FINISHED, CANCELED or FAILED) named `name`: for "at most one live job per
    /// FlinkJob" invariants (the operator names jobs `namespace/name` through `pipeline.name`).
    public func liveJobs(named name: String) -> [ModelJobInfo] {
        allJobs.filter { $0.name == name && !$0.state.isGloballyTerminal }
    }

    /// Every path in checkpoint and savepoint storage, sorted.
    public var storagePaths: [String] {
        state.withLock { $0.storage.all.map(\.path) }
    }

    /// Every snapshot in storage, sorted by path.
    public var snapshots: [StoredSnapshot] {
        state.withLock { $0.storage.all }
    }

    /// The uploaded jars, newest first (what `listJars` answers).
    public var jars: [JarFileInfo] {
        state.withLock { $0.jarList }
    }

    /// Task slots no job holds.
    public var freeSlots: Int {
        state.withLock { $0.freeSlots }
    }

    static func info(_ job: ModelJob) -> ModelJobInfo {
        ModelJobInfo(
            id: job.id, name: job.name, state: job.state, jarID: job.jarID, entryClass: job.entryClass,
            request: job.request, restoredFrom: job.restore?.snapshot.path, isBatch: job.settings.isBatch,
            parallelism: job.vertices.map(\.parallelism),
            tasks: ModelState.sum(job.visibleVertices.map(job.taskCounts)), slots: job.slots, numRestarts: job.numRestarts,
            submittedAt: job.submittedAt, endedAt: job.endedAt)
    }
}
