/// The outcome of a job that ended, from `GET /jobs/:id/execution-result`.
public struct JobExecutionResult: Codable, Hashable, Sendable {
    /// The job id.
    public var id: FlinkJobID
    /// The job name.
    public var name: String?
    /// How it ended.
    public var applicationStatus: ApplicationStatus
    /// Run time in ms.
    public var netRuntime: Int64?
    /// Start time (epoch ms).
    public var startTime: Int64?
    /// End time (epoch ms).
    public var endTime: Int64?
    /// Why it failed, for FAILED jobs (the user's exception is in the cause chain).
    public var failureCause: FlinkFailureCause?

    /// Creates a result.
    public init(
        id: FlinkJobID, name: String? = nil, applicationStatus: ApplicationStatus, netRuntime: Int64? = nil,
        startTime: Int64? = nil, endTime: Int64? = nil, failureCause: FlinkFailureCause? = nil
    ) {
        self.id = id
        self.name = name
        self.applicationStatus = applicationStatus
        self.netRuntime = netRuntime
        self.startTime = startTime
        self.endTime = endTime
        self.failureCause = failureCause
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case applicationStatus = "application-status"
        case netRuntime = "net-runtime"
        case startTime = "start-time"
        case endTime = "end-time"
        case failureCause = "failure-cause"
    }
}
