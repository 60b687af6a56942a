/// A job's details, `GET /jobs/:id` (cached by Flink for `web.refresh-interval`; use `jobStatus` for a fresh
/// state).
public struct JobDetails: Codable, Hashable, Sendable {
    /// The job id.
    public var id: FlinkJobID
    /// The application id (Flink 2.3+: every submission is an application with the job's id).
    public var applicationID: String?
    /// The job name.
    public var name: String
    /// The job state.
    public var state: FlinkJobState
    /// `STREAMING` or `BATCH`.
    public var jobType: String?
    /// `Default`, `Adaptive` or `AdaptiveBatch`.
    public var schedulerType: String?
    /// Start time (epoch ms).
    public var startTime: Int64
    /// End time (epoch ms), -1 while not ended.
    public var endTime: Int64
    /// Run time so far in ms.
    public var duration: Int64
    /// When the job entered each state (epoch ms; 0 = never).
    public var timestamps: [String: Int64]
    /// The vertices with their parallelism and task counts.
    public var vertices: [JobVertex]
    /// How many vertices are in each aggregate state (Flink's `status-counts`, which counts vertices, not
    /// tasks).
    public var vertexStateCounts: JobTaskCounts

    /// Creates details.
    public init(
        id: FlinkJobID, applicationID: String? = nil, name: String, state: FlinkJobState, jobType: String? = nil,
        schedulerType: String? = nil, startTime: Int64, endTime: Int64, duration: Int64,
        timestamps: [String: Int64] = [:], vertices: [JobVertex], vertexStateCounts: JobTaskCounts
    ) {
        self.id = id
        self.applicationID = applicationID
        self.name = name
        self.state = state
        self.jobType = jobType
        self.schedulerType = schedulerType
        self.startTime = startTime
        self.endTime = endTime
        self.duration = duration
        self.timestamps = timestamps
        self.vertices = vertices
        self.vertexStateCounts = vertexStateCounts
    }

    /// Task counts over all vertices (the sum of the vertices' task counts).
    public var taskCounts: JobTaskCounts {
        vertices.reduce(into: JobTaskCounts()) { sum, vertex in
            let tasks = vertex.tasks
            sum.created += tasks.created
            sum.scheduled += tasks.scheduled
            sum.deploying += tasks.deploying
            sum.initializing += tasks.initializing
            sum.running += tasks.running
            sum.finished += tasks.finished
            sum.canceling += tasks.canceling
            sum.canceled += tasks.canceled
            sum.failed += tasks.failed
            sum.reconciling += tasks.reconciling
            sum.total += tasks.total
        }
    }

    /// The vertex with `id`, if any.
    public func vertex(id: String) -> JobVertex? {
        vertices.first { $0.id == id }
    }

    enum CodingKeys: String, CodingKey {
        case id = "jid"
        case applicationID = "application-id"
        case name, state
        case jobType = "job-type"
        case schedulerType
        case startTime = "start-time"
        case endTime = "end-time"
        case duration, timestamps, vertices
        case vertexStateCounts = "status-counts"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(FlinkJobID.self, forKey: .id)
        applicationID = try container.decodeIfPresent(String.self, forKey: .applicationID)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        state = try container.decode(FlinkJobState.self, forKey: .state)
        jobType = try container.decodeIfPresent(String.self, forKey: .jobType)
        schedulerType = try container.decodeIfPresent(String.self, forKey: .schedulerType)
        startTime = try container.decodeIfPresent(Int64.self, forKey: .startTime) ?? -1
        endTime = try container.decodeIfPresent(Int64.self, forKey: .endTime) ?? -1
        duration = try container.decodeIfPresent(Int64.self, forKey: .duration) ?? 0
        timestamps = try container.decodeIfPresent([String: Int64].self, forKey: .timestamps) ?? [:]
        vertices = try container.decodeIfPresent([JobVertex].self, forKey: .vertices) ?? []
        vertexStateCounts = try container.decodeIfPresent(JobTaskCounts.self, forKey: .vertexStateCounts) ?? JobTaskCounts()
    }
}
