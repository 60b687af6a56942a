import HTTPTransport

extension FlinkRESTClient {
    /// Every job the JobManager remembers, with state and task counts: `GET /jobs/overview`. Idempotent.
    ///
    /// Cached by Flink for `web.refresh-interval`; finished jobs stay listed for `jobstore.expiration-time`
    /// and are forgotten on a JobManager restart (without HA).
    public func jobsOverview() async throws(FlinkRESTError) -> [JobOverview] {
        try await get("/jobs/overview", as: JobOverviewList.self).jobs
    }

    /// Every job's id and state: `GET /jobs`. Idempotent.
    public func listJobs() async throws(FlinkRESTError) -> [JobIdentity] {
        try await get("/jobs", as: JobIdentityList.self).jobs
    }

    /// Every application (Flink 2.3+; one per jar run, with the job's id): `GET /applications/overview`.
    /// Idempotent.
    public func applicationsOverview() async throws(FlinkRESTError) -> [ApplicationOverview] {
        try await get("/applications/overview", as: ApplicationOverviewList.self).applications
    }

    /// A job's details with vertices and task counts: `GET /jobs/:id`. Idempotent.
    ///
    /// Cached by Flink for `web.refresh-interval`; for a fresh state use `jobStatus(_:)`.
    /// - Throws: `notFound` for an unknown job.
    public func jobDetails(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobDetails {
        try await get("/jobs/\(jobID)", as: JobDetails.self)
    }

    /// A job's current state, not cached: `GET /jobs/:id/status`. Idempotent.
    /// - Throws: `notFound` for an unknown job (Flink answers 500 there; the client maps it).
    public func jobStatus(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> FlinkJobState {
        try await get("/jobs/\(jobID)/status", as: JobStatusResponse.self).status
    }

    /// A job's failures, newest first: `GET /jobs/:id/exceptions`. Idempotent.
    /// - Throws: `notFound` for an unknown job.
    public func jobExceptions(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExceptionHistory {
        try await get("/jobs/\(jobID)/exceptions", as: JobExceptionsResponse.self).exceptionHistory
    }

    /// Job-level metrics by name (e.g. `numRestarts`, `lastCheckpointDuration`): `GET /jobs/:id/metrics?get=…`.
    /// Metrics Flink does not know are absent from the result. Idempotent.
    /// - Throws: `notFound` for an unknown job.
    public func jobMetrics(_ jobID: FlinkJobID, names: [String]) async throws(FlinkRESTError) -> [String: String] {
        struct Metric: Decodable {
            var id: String
            var value: String?
        }
        let query = names.map { Self.segment($0) }.joined(separator: ",")
        let metrics = try await get("/jobs/\(jobID)/metrics?get=\(query)", as: [Metric].self)
        var values: [String: String] = [:]
        for metric in metrics { values[metric.id] = metric.value }
        return values
    }

    /// How a job ended, or `.inProgress` while it runs: `GET /jobs/:id/execution-result`. Idempotent.
    /// - Throws: `notFound` for an unknown job.
    public func jobExecutionResult(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExecutionResultStatus {
        let path = "/jobs/\(jobID)/execution-result"
        let response = try await send(.get, path)
        let body = try decode(JobExecutionResultResponse.self, from: response, request: "GET \(path)")
        switch (body.status.id, body.result) {
        case ("COMPLETED", .some(let result)):
            return .completed(result)
        case ("IN_PROGRESS", _):
            return .inProgress
        default:
            throw .unexpectedResponse(
                status: response.status,
                snippet: "GET \(path): status \(body.status.id) without a result"
            )
        }
    }

    /// Cancels a job without a savepoint: `PATCH /jobs/:id?mode=cancel`. The job ends CANCELED shortly after.
    ///
    /// Idempotent: cancelling a job that already ended succeeds and changes nothing.
    /// - Throws: `notFound` for an unknown job.
    public func cancelJob(_ jobID: FlinkJobID) async throws(FlinkRESTError) {
        _ = try await send(.patch, "/jobs/\(jobID)?mode=cancel")
    }
}
