import FlinkREST
import Synchronization

/// A deterministic in-memory Flink 2.3 session cluster behind the `FlinkService` seam, for simulation and scenario
/// tests of the operator.
///
/// It keeps the behaviour the operator's decisions depend on (see `docs/flink-rest-notes.md`): job ids are
/// used up once submitted (also by finished jobs and by a FAILED job a bad savepoint path leaves behind) until a
/// JobManager restart; stop-with-savepoint ends FINISHED, savepoint-with-cancel CANCELED; savepoint triggers are
/// idempotent per trigger id and answer 202 even for jobs Flink does not run (then fail with
/// `FlinkJobNotFoundException`); checkpoint ids continue after the restored snapshot's; one checkpoint per job is
/// retained; a job without slots stays RUNNING with tasks SCHEDULED; rescaling in place only on the adaptive
/// scheduler. Errors carry the `FlinkRESTError` case and message shape the real client produces.
///
/// Time is the model's own: nothing moves until a test calls `advance(by:)` or `step()`; calls take no model time.
/// Determinism: the same configuration, seed and sequence of calls and clock steps give the same answers, ids,
/// paths and logs.
///
/// Differences from real Flink, on purpose: no `web.refresh-interval` cache (every read is fresh); checkpoints
/// complete the instant they are triggered and only while every task runs; checkpoint failures never fail the
/// job; `jobMetrics` and `backpressure` of an unknown job answer like Flink's metric store (empty, unavailable)
/// rather than `notFound`. Sendable: all state sits behind one `Mutex`; every call is synchronous under it.
public final class InMemoryFlink: FlinkService {
    /// The cluster configuration.
    public let configuration: Configuration
    /// The seed every id and random choice comes from.
    public let seed: UInt64
    let state: Mutex<ModelState>

    /// Creates an empty cluster (no jars, no jobs, empty storage) at `configuration.startTime`.
    public init(configuration: Configuration = Configuration(), seed: UInt64 = 1) {
        self.configuration = configuration
        self.seed = seed
        state = Mutex(ModelState(configuration: configuration, seed: seed))
    }

    /// The REST base URL the model pretends to be.
    public var endpoint: String { configuration.endpoint }

    // MARK: Clock

    /// Model time, epoch milliseconds.
    public var now: Int64 {
        state.withLock { $0.now }
    }

    /// Model time since the start.
    public var elapsed: Duration {
        state.withLock { $0.elapsed }
    }

    /// When something is scheduled next (epoch ms): a job step, a checkpoint, a savepoint completing; `nil` when
    /// nothing is.
    public var nextEventTime: Int64? {
        state.withLock { $0.nextEventTime() }
    }

    /// Moves model time forward by `duration`, performing everything scheduled on the way in time order (job
    /// transitions, checkpoints, savepoints, rescales, failures). Negative durations do nothing.
    public func advance(by duration: Duration) {
        state.withLock { $0.advance(by: duration) }
    }

    /// Moves model time to the next scheduled event and performs it; `false` (time unchanged) when nothing is
    /// scheduled. A running streaming job with checkpointing always has a next event.
    @discardableResult
    public func step() -> Bool {
        state.withLock { $0.step() }
    }

    /// Steps through scheduled events until `condition` holds or `limit` of model time passed; returns whether it
    /// holds. `condition` runs outside the model's lock (it may read the model), after every event.
    @discardableResult
    public func advance(until condition: (InMemoryFlink) -> Bool, within limit: Duration) -> Bool {
        let deadline = state.withLock { $0.now } + limit.wholeMilliseconds
        while !condition(self) {
            let moved: Bool = state.withLock { state in
                guard let next = state.nextEventTime(), next <= deadline else {
                    state.advance(by: .milliseconds(max(0, deadline - state.now)))
                    return false
                }
                state.advance(by: .milliseconds(max(0, next - state.now)))
                return true
            }
            if !moved { return condition(self) }
        }
        return true
    }

    // MARK: Plumbing

    /// Runs one REST call under the lock: refused with `.cancelled` when the calling task is cancelled and with
    /// `.unreachable` while the JobManager restarts; zero-delay consequences are processed before returning.
    func perform<Result: Sendable>(
        _ operation: FlinkOperation, _ body: (inout ModelState) throws(FlinkRESTError) -> Result
    ) throws(FlinkRESTError) -> Result {
        if Task.isCancelled { throw .cancelled }
        return try state.withLock { (state: inout ModelState) throws(FlinkRESTError) -> Result in
            try state.ensureReachable(operation)
            let result = try body(&state)
            if operation.isMutating { state.processDue() }
            return result
        }
    }
}
