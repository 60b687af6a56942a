import HTTPTransport

extension FlinkRESTClient {
    /// A job's checkpoint counts and latest completed/savepoint/failed/restored snapshots:
    /// `GET /jobs/:id/checkpoints`. Idempotent.
    ///
    /// - Returns: `nil` when the job does not checkpoint (Flink answers 404 "Checkpointing has not been
    ///   enabled", e.g. for batch jobs).
    /// - Throws: `notFound` for an unknown job.
    public func checkpointStatistics(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> CheckpointStatistics? {
        do {
            return try await get("/jobs/\(jobID)/checkpoints", as: CheckpointStatistics.self)
        } catch .notFound(let message) where Self.saysCheckpointingDisabled(message) {
            return nil
        }
    }

    /// A job's checkpointing settings: `GET /jobs/:id/checkpoints/config`. Idempotent.
    ///
    /// - Returns: `nil` when the job does not checkpoint.
    /// - Throws: `notFound` for an unknown job.
    public func checkpointConfiguration(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> CheckpointConfiguration? {
        do {
            return try await get("/jobs/\(jobID)/checkpoints/config", as: CheckpointConfiguration.self)
        } catch .notFound(let message) where Self.saysCheckpointingDisabled(message) {
            return nil
        }
    }

    /// Whether a 404 means "this job does not checkpoint" rather than "no such job" (both are 404 in Flink).
    static func saysCheckpointingDisabled(_ message: String) -> Bool {
        message.contains("Checkpointing has not been enabled") || message.contains("Checkpointing is not enabled")
    }
}
