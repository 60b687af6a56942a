import HTTPTransport

extension FlinkRESTClient {
    /// Backpressure of one vertex: `GET /jobs/:id/vertices/:vid/backpressure`. Idempotent.
    ///
    /// - Returns: `.unavailable` while Flink has no metrics yet (about the first 10 s of a job) or for an
    ///   unknown vertex id; else the measurement.
    /// - Throws: `notFound` for an unknown job.
    public func backpressure(of jobID: FlinkJobID, vertex vertexID: String) async throws(FlinkRESTError)
        -> VertexBackpressure
    {
        let path = "/jobs/\(jobID)/vertices/\(Self.segment(vertexID))/backpressure"
        let body: BackpressureResponse
        do {
            body = try await get(path, as: BackpressureResponse.self)
        } catch .serverError(_, let message) where message.contains("NoSuchElementException") {
            // While the metric fetcher has registered the vertex but no subtask metrics yet, Flink's handler takes
            // the maximum of an empty list and answers 500 "No value present": metrics are not there yet.
            return .unavailable
        }
        guard let report = body.report else { return .unavailable }
        return .measured(report)
    }

    /// The parallelism bounds of every vertex: `GET /jobs/:id/resource-requirements`. Idempotent.
    /// - Throws: `serverError` on a cluster without the adaptive scheduler; `notFound` for an unknown job.
    public func resourceRequirements(of jobID: FlinkJobID) async throws(FlinkRESTError) -> JobResourceRequirements {
        try await get("/jobs/\(jobID)/resource-requirements", as: JobResourceRequirements.self)
    }

    /// Changes the parallelism bounds, rescaling the running job in place (same job id, state restored from
    /// the latest checkpoint): `PUT /jobs/:id/resource-requirements`. Adaptive scheduler only.
    ///
    /// Idempotent: putting the same requirements again changes nothing.
    /// - Throws: `badRequest` when a vertex is missing or unknown or a bound exceeds the max parallelism;
    ///   `serverError` on a cluster without the adaptive scheduler; `notFound` for an unknown job.
    public func updateResourceRequirements(
        of jobID: FlinkJobID,
        _ requirements: JobResourceRequirements
    ) async throws(FlinkRESTError) {
        _ = try await send(.put, "/jobs/\(jobID)/resource-requirements", json: requirements)
    }
}
