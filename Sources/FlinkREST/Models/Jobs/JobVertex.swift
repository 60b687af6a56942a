/// One vertex (chain of operators) of a job, from `GET /jobs/:id`.
public struct JobVertex: Codable, Hashable, Sendable {
    /// The vertex id (stable for the same job graph; used for backpressure and resource requirements).
    public var id: String
    /// The vertex name (chained operator names).
    public var name: String
    /// Current parallelism.
    public var parallelism: Int
    /// Maximum parallelism (key groups).
    public var maxParallelism: Int?
    /// The vertex's aggregate execution state.
    public var status: String?
    /// Start time (epoch ms).
    public var startTime: Int64?
    /// End time (epoch ms), -1 while running.
    public var endTime: Int64?
    /// Task counts of this vertex.
    public var tasks: JobTaskCounts

    /// Creates a vertex.
    public init(
        id: String, name: String, parallelism: Int, maxParallelism: Int? = nil, status: String? = nil,
        startTime: Int64? = nil, endTime: Int64? = nil, tasks: JobTaskCounts
    ) {
        self.id = id
        self.name = name
        self.parallelism = parallelism
        self.maxParallelism = maxParallelism
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey {
        case id, name, parallelism, maxParallelism, status
        case startTime = "start-time"
        case endTime = "end-time"
        case tasks
    }
}
