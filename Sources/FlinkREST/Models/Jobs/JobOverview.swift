/// One job of `GET /jobs/overview` (cached by Flink for `web.refresh-interval`).
public struct JobOverview: Codable, Hashable, Sendable {
    /// The job id.
    public var id: FlinkJobID
    /// The job name.
    public var name: String
    /// `STREAMING` or `BATCH`.
    public var jobType: String?
    /// `Default`, `Adaptive` or `AdaptiveBatch`.
    public var schedulerType: String?
    /// The job state.
    public var state: FlinkJobState
    /// Start time (epoch ms).
    public var startTime: Int64
    /// End time (epoch ms), -1 while not ended.
    public var endTime: Int64
    /// Run time so far in ms.
    public var duration: Int64
    /// Last state change (epoch ms).
    public var lastModification: Int64?
    /// Task counts.
    public var tasks: JobTaskCounts

    /// Creates an overview entry.
    public init(
        id: FlinkJobID, name: String, jobType: String? = nil, schedulerType: String? = nil, state: FlinkJobState,
        startTime: Int64, endTime: Int64, duration: Int64, lastModification: Int64? = nil, tasks: JobTaskCounts
    ) {
        self.id = id
        self.name = name
        self.jobType = jobType
        self.schedulerType = schedulerType
        self.state = state
        self.startTime = startTime
        self.endTime = endTime
        self.duration = duration
        self.lastModification = lastModification
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey {
        case id = "jid"
        case name, jobType, schedulerType, state
        case startTime = "start-time"
        case endTime = "end-time"
        case duration
        case lastModification = "last-modification"
        case tasks
    }
}

/// The body of `GET /jobs/overview`.
struct JobOverviewList: Codable {
    var jobs: [JobOverview]
}
