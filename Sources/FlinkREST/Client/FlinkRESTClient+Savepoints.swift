import HTTPTransport

extension FlinkRESTClient {
    /// Triggers a savepoint: `POST /jobs/:id/savepoints`. Returns the trigger id to poll with
    /// `savepointStatus(of:trigger:)`.
    ///
    /// Idempotent with `triggerID`: repeating the call with the same trigger id (even after completion, within
    /// `rest.async.store-duration`, 5 min by default) returns the same operation and takes no second savepoint.
    /// Without it, every call takes a new savepoint.
    /// Flink accepts the trigger (202) even for a finished or unknown job; the poll then reports `.failed`.
    /// - Parameters:
    ///   - targetDirectory: where to write it; `nil` uses the cluster's `execution.checkpointing.savepoint-dir`.
    ///   - cancelJob: cancel the job once the savepoint is taken (the job ends CANCELED).
    ///   - formatType: canonical (default) or native.
    ///   - triggerID: a client-chosen id for idempotency.
    public func triggerSavepoint(
        of jobID: FlinkJobID,
        targetDirectory: String? = nil,
        cancelJob: Bool = false,
        formatType: SavepointFormatType? = nil,
        triggerID: FlinkTriggerID? = nil
    ) async throws(FlinkRESTError) -> FlinkTriggerID {
        struct Body: Encodable {
            var targetDirectory: String?
            var cancelJob: Bool
            var formatType: SavepointFormatType?
            var triggerID: FlinkTriggerID?

            enum CodingKeys: String, CodingKey {
                case targetDirectory = "target-directory"
                case cancelJob = "cancel-job"
                case formatType
                case triggerID = "triggerId"
            }
        }
        let path = "/jobs/\(jobID)/savepoints"
        let body = Body(targetDirectory: targetDirectory, cancelJob: cancelJob, formatType: formatType, triggerID: triggerID)
        let response = try await send(.post, path, json: body)
        return try decode(AsynchronousOperationResponse.Trigger.self, from: response, request: "POST \(path)").requestID
    }

    /// Stops a job with a final savepoint: `POST /jobs/:id/stop`. The job ends FINISHED (not CANCELED). Returns
    /// the trigger id to poll with `savepointStatus(of:trigger:)`.
    ///
    /// Idempotent with `triggerID` (as `triggerSavepoint`). If the savepoint fails the job keeps running.
    /// - Parameters:
    ///   - targetDirectory: where to write it; `nil` uses the cluster's default savepoint directory.
    ///   - drain: emit MAX_WATERMARK first (flushes event-time windows; for a final stop, not an upgrade).
    ///   - formatType: canonical (default) or native.
    ///   - triggerID: a client-chosen id for idempotency.
    public func stopWithSavepoint(
        _ jobID: FlinkJobID,
        targetDirectory: String? = nil,
        drain: Bool = false,
        formatType: SavepointFormatType? = nil,
        triggerID: FlinkTriggerID? = nil
    ) async throws(FlinkRESTError) -> FlinkTriggerID {
        struct Body: Encodable {
            var targetDirectory: String?
            var drain: Bool
            var formatType: SavepointFormatType?
            var triggerID: FlinkTriggerID?

            enum CodingKeys: String, CodingKey {
                case targetDirectory, drain, formatType
                case triggerID = "triggerId"
            }
        }
        let path = "/jobs/\(jobID)/stop"
        let body = Body(targetDirectory: targetDirectory, drain: drain, formatType: formatType, triggerID: triggerID)
        let response = try await send(.post, path, json: body)
        return try decode(AsynchronousOperationResponse.Trigger.self, from: response, request: "POST \(path)").requestID
    }

    /// The state of a savepoint or stop-with-savepoint: `GET /jobs/:id/savepoints/:triggerid`. Idempotent.
    ///
    /// - Throws: `notFound` when Flink does not know the trigger (never triggered, expired after
    ///   `rest.async.store-duration`, or lost in a JobManager restart).
    public func savepointStatus(of jobID: FlinkJobID, trigger triggerID: FlinkTriggerID) async throws(FlinkRESTError)
        -> SavepointStatus
    {
        let path = "/jobs/\(jobID)/savepoints/\(triggerID)"
        let response = try await send(.get, path)
        let body = try decode(AsynchronousOperationResponse.Status.self, from: response, request: "GET \(path)")
        switch body.status.id {
        case "IN_PROGRESS":
            return .inProgress
        case "COMPLETED":
            if let cause = body.operation?.failureCause { return .failed(cause) }
            if let location = body.operation?.location { return .completed(location: location) }
            throw .unexpectedResponse(status: response.status, snippet: "GET \(path): completed without location or cause")
        default:
            throw .unexpectedResponse(status: response.status, snippet: "GET \(path): unknown status \(body.status.id)")
        }
    }

    /// Polls `savepointStatus(of:trigger:)` until the operation ends. Idempotent.
    ///
    /// - Throws: `timeout` when it is still in progress after `timeout`; `cancelled` when the task is cancelled.
    public func awaitSavepoint(
        of jobID: FlinkJobID,
        trigger triggerID: FlinkTriggerID,
        timeout: Duration = .seconds(120),
        pollInterval: Duration = .milliseconds(200)
    ) async throws(FlinkRESTError) -> SavepointStatus {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let status = try await savepointStatus(of: jobID, trigger: triggerID)
            if status.isFinished { return status }
            guard ContinuousClock.now < deadline else {
                throw .timeout("savepoint \(triggerID) of job \(jobID) still in progress after \(timeout)")
            }
            do { try await Task.sleep(for: pollInterval) } catch { throw .cancelled }
        }
    }

    /// Deletes a savepoint's files through the JobManager: `POST /savepoint-disposal`. Returns the trigger id to
    /// poll with `savepointDisposalStatus(trigger:)`.
    ///
    /// Not idempotent by itself (Flink ignores client trigger ids here): disposing of a savepoint that is already
    /// gone fails with a cause whose `isMissingSavepoint` is true, which callers may treat as done.
    public func disposeSavepoint(at path: String) async throws(FlinkRESTError) -> FlinkTriggerID {
        struct Body: Encodable {
            var savepointPath: String

            enum CodingKeys: String, CodingKey {
                case savepointPath = "savepoint-path"
            }
        }
        let response = try await send(.post, "/savepoint-disposal", json: Body(savepointPath: path))
        return try decode(AsynchronousOperationResponse.Trigger.self, from: response, request: "POST /savepoint-disposal")
            .requestID
    }

    /// The state of a savepoint disposal: `GET /savepoint-disposal/:triggerid`. Idempotent.
    /// - Throws: `notFound` for an unknown or expired trigger id.
    public func savepointDisposalStatus(trigger triggerID: FlinkTriggerID) async throws(FlinkRESTError)
        -> SavepointDisposalStatus
    {
        let path = "/savepoint-disposal/\(triggerID)"
        let response = try await send(.get, path)
        let body = try decode(AsynchronousOperationResponse.Status.self, from: response, request: "GET \(path)")
        switch body.status.id {
        case "IN_PROGRESS": return .inProgress
        case "COMPLETED": return body.operation?.failureCause.map(SavepointDisposalStatus.failed) ?? .completed
        default:
            throw .unexpectedResponse(status: response.status, snippet: "GET \(path): unknown status \(body.status.id)")
        }
    }
}
