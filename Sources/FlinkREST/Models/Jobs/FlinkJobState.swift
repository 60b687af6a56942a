/// A Flink job's state (`JobStatus`), as reported by `/jobs/:id/status`, `/jobs/:id` and `/jobs/overview`.
///
/// A struct rather than an enum so a state added by a later Flink decodes instead of failing; compare with the
/// static constants.
public struct FlinkJobState: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    /// The state's name, e.g. `RUNNING`.
    public var rawValue: String

    /// Wraps a state name (upper-cased).
    public init(rawValue: String) {
        self.rawValue = rawValue.uppercased()
    }

    /// Accepted, the JobMaster is starting (loading the restored savepoint happens here).
    public static let initializing = FlinkJobState(rawValue: "INITIALIZING")
    /// Created, waiting for resources.
    public static let created = FlinkJobState(rawValue: "CREATED")
    /// Running; tasks may still be waiting for slots (look at the task counts).
    public static let running = FlinkJobState(rawValue: "RUNNING")
    /// Failing, about to be FAILED or RESTARTING.
    public static let failing = FlinkJobState(rawValue: "FAILING")
    /// Failed for good.
    public static let failed = FlinkJobState(rawValue: "FAILED")
    /// Being cancelled.
    public static let cancelling = FlinkJobState(rawValue: "CANCELLING")
    /// Cancelled.
    public static let canceled = FlinkJobState(rawValue: "CANCELED")
    /// Finished: a bounded job completed, or a stop-with-savepoint ended it.
    public static let finished = FlinkJobState(rawValue: "FINISHED")
    /// Restarting after a failure.
    public static let restarting = FlinkJobState(rawValue: "RESTARTING")
    /// Suspended by the JobManager (e.g. lost leadership); not terminal for the cluster.
    public static let suspended = FlinkJobState(rawValue: "SUSPENDED")
    /// Being reconciled after a JobManager failover.
    public static let reconciling = FlinkJobState(rawValue: "RECONCILING")

    /// Whether the job ended for good (FINISHED, CANCELED, FAILED): it will never run again under this id.
    public var isGloballyTerminal: Bool {
        self == .finished || self == .canceled || self == .failed
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The body of `GET /jobs/:id/status`.
struct JobStatusResponse: Codable {
    var status: FlinkJobState
}
