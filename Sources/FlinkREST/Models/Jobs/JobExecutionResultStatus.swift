/// The answer of `GET /jobs/:id/execution-result`: still running, or ended with a result.
public enum JobExecutionResultStatus: Hashable, Sendable {
    /// The job has not ended yet.
    case inProgress
    /// The job ended; how is in the result.
    case completed(JobExecutionResult)
}

/// The raw body of `GET /jobs/:id/execution-result`.
struct JobExecutionResultResponse: Decodable {
    struct Status: Decodable { var id: String }
    var status: Status
    var result: JobExecutionResult?

    enum CodingKeys: String, CodingKey {
        case status
        case result = "job-execution-result"
    }
}
