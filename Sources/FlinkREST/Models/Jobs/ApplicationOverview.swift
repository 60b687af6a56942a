/// One application of `GET /applications/overview` (Flink 2.3+: every jar run is an application holding one
/// job with the same id).
///
/// An application can stay RUNNING while its only job FAILED (after a bad savepoint path); judge jobs by the
/// job endpoints.
public struct ApplicationOverview: Codable, Hashable, Sendable {
    /// The application id (the job id for jar runs).
    public var id: String
    /// `SingleJobApplication(<job name>)` for jar runs.
    public var name: String
    /// The application's state.
    public var status: String
    /// Start time (epoch ms).
    public var startTime: Int64?
    /// End time (epoch ms), -1 while running.
    public var endTime: Int64?
    /// Run time in ms.
    public var duration: Int64?
    /// How many of its jobs are in each state.
    public var jobs: [String: Int]

    enum CodingKeys: String, CodingKey {
        case id, name, status
        case startTime = "start-time"
        case endTime = "end-time"
        case duration, jobs
    }
}

/// The body of `GET /applications/overview`.
struct ApplicationOverviewList: Codable {
    var applications: [ApplicationOverview]
}
