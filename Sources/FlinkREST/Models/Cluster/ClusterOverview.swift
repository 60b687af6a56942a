/// The cluster summary of `GET /overview`: TaskManagers, slots and job counts.
public struct ClusterOverview: Codable, Hashable, Sendable {
    /// Registered TaskManagers.
    public var taskManagers: Int
    /// Task slots of all TaskManagers.
    public var slotsTotal: Int
    /// Slots not running anything.
    public var slotsAvailable: Int
    /// Jobs running now.
    public var jobsRunning: Int
    /// Finished jobs still remembered (kept for `jobstore.expiration-time`).
    public var jobsFinished: Int
    /// Cancelled jobs still remembered.
    public var jobsCancelled: Int
    /// Failed jobs still remembered.
    public var jobsFailed: Int
    /// Flink's version, e.g. `2.3.0`.
    public var flinkVersion: String?
    /// Flink's commit id.
    public var flinkCommit: String?

    /// Creates an overview.
    public init(
        taskManagers: Int, slotsTotal: Int, slotsAvailable: Int, jobsRunning: Int, jobsFinished: Int,
        jobsCancelled: Int, jobsFailed: Int, flinkVersion: String? = nil, flinkCommit: String? = nil
    ) {
        self.taskManagers = taskManagers
        self.slotsTotal = slotsTotal
        self.slotsAvailable = slotsAvailable
        self.jobsRunning = jobsRunning
        self.jobsFinished = jobsFinished
        self.jobsCancelled = jobsCancelled
        self.jobsFailed = jobsFailed
        self.flinkVersion = flinkVersion
        self.flinkCommit = flinkCommit
    }

    enum CodingKeys: String, CodingKey {
        case taskManagers = "taskmanagers"
        case slotsTotal = "slots-total"
        case slotsAvailable = "slots-available"
        case jobsRunning = "jobs-running"
        case jobsFinished = "jobs-finished"
        case jobsCancelled = "jobs-cancelled"
        case jobsFailed = "jobs-failed"
        case flinkVersion = "flink-version"
        case flinkCommit = "flink-commit"
    }
}
