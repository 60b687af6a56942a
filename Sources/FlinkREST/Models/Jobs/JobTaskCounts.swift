/// How many of a job's (or a vertex's) tasks are in each execution state.
///
/// Decodes both of Flink's spellings: the lowercase map with `total` of `/jobs/overview` and the uppercase
/// `status-counts`/`tasks` maps of `/jobs/:id` (where `total` is the sum).
public struct JobTaskCounts: Codable, Hashable, Sendable {
    /// Tasks created, not yet scheduled.
    public var created: Int
    /// Tasks waiting for a slot.
    public var scheduled: Int
    /// Tasks being deployed to a TaskManager.
    public var deploying: Int
    /// Tasks restoring state before running.
    public var initializing: Int
    /// Running tasks.
    public var running: Int
    /// Finished tasks.
    public var finished: Int
    /// Tasks being cancelled.
    public var canceling: Int
    /// Cancelled tasks.
    public var canceled: Int
    /// Failed tasks.
    public var failed: Int
    /// Tasks being reconciled after a failover.
    public var reconciling: Int
    /// All tasks.
    public var total: Int

    /// Creates counts; `total` defaults to the sum of the others.
    public init(
        created: Int = 0, scheduled: Int = 0, deploying: Int = 0, initializing: Int = 0, running: Int = 0,
        finished: Int = 0, canceling: Int = 0, canceled: Int = 0, failed: Int = 0, reconciling: Int = 0,
        total: Int? = nil
    ) {
        self.created = created
        self.scheduled = scheduled
        self.deploying = deploying
        self.initializing = initializing
        self.running = running
        self.finished = finished
        self.canceling = canceling
        self.canceled = canceled
        self.failed = failed
        self.reconciling = reconciling
        self.total = total
            ?? (created + scheduled + deploying + initializing + running + finished + canceling + canceled + failed
                + reconciling)
    }

    /// Tasks that want to run but do not yet: created, scheduled (waiting for slots), deploying, initializing.
    ///
    /// A job stuck in RUNNING with pending tasks lacks slots; it fails only after the slot request timeout.
    public var pending: Int {
        created + scheduled + deploying + initializing
    }

    /// Whether every task runs (and there is at least one): the job really processes data.
    public var allRunning: Bool {
        total > 0 && running == total
    }

    /// Whether some tasks run and every other one finished: a streaming job whose bounded parts are done.
    ///
    /// Finished subtasks are normal in running streaming jobs: a source subtask without a split (e.g. after
    /// scaling a `DataGeneratorSource` up, whose splits were fixed at the first start) or a bounded input that
    /// ended. Use this rather than `allRunning` to judge a streaming job healthy.
    public var allRunningOrFinished: Bool {
        running > 0 && running + finished == total
    }

    /// The largest count believed: a count beyond it (or negative) is bad input, clamped so that sums over any
    /// number of vertices cannot overflow (no job has a billion tasks).
    public static let countLimit = 1 << 30

    public init(from decoder: any Decoder) throws {
        let raw = try [String: Int](from: decoder)
        var counts: [String: Int] = [:]
        for (key, value) in raw {
            let clamped = min(max(value, 0), Self.countLimit)
            counts[key.lowercased(), default: 0] = min(counts[key.lowercased(), default: 0] + clamped, Self.countLimit)
        }
        self.init(
            created: counts["created"] ?? 0,
            scheduled: counts["scheduled"] ?? 0,
            deploying: counts["deploying"] ?? 0,
            initializing: counts["initializing"] ?? 0,
            running: counts["running"] ?? 0,
            finished: counts["finished"] ?? 0,
            canceling: counts["canceling"] ?? 0,
            canceled: counts["canceled"] ?? 0,
            failed: counts["failed"] ?? 0,
            reconciling: counts["reconciling"] ?? 0,
            total: counts["total"]
        )
    }

    public func encode(to encoder: any Encoder) throws {
        let counts = [
            "created": created, "scheduled": scheduled, "deploying": deploying, "initializing": initializing,
            "running": running, "finished": finished, "canceling": canceling, "canceled": canceled,
            "failed": failed, "reconciling": reconciling, "total": total,
        ]
        try counts.encode(to: encoder)
    }
}
