import FlinkREST

/// Savepoints, stop-with-savepoint and disposal, with Flink's idempotency by trigger id and its 202-then-failure
/// answers for jobs it does not run.
extension ModelState {
    /// Starts (or, for a known trigger id, finds) a savepoint operation on `jobID`.
    ///
    /// Flink's answers: the same trigger id for the same job returns the same operation, taking no second
    /// savepoint (until its result expires); an unknown or ended job is accepted and fails with
    /// `FlinkJobNotFoundException`; a job that does not run all its tasks fails at once; without any savepoint
    /// directory the call is a 400.
    mutating func triggerSavepoint(
        _ call: ModelCall, jobID: FlinkJobID, kind: SavepointOperation.Kind, targetDirectory: String?,
        formatType: SavepointFormatType?, triggerID: FlinkTriggerID?
    ) throws(FlinkRESTError) -> FlinkTriggerID {
        if let triggerID, jobManager.savepoints.contains(where: { $0.jobID == jobID && $0.triggerID == triggerID }) {
            record(call, .triggered(triggerID, isNew: false))
            return triggerID
        }
        guard targetDirectory != nil || configuration.savepointDirectory != nil else {
            let error = FlinkAnswers.noSavepointDirectory(
                kind == .stop ? "POST /jobs/\(jobID)/stop" : "POST /jobs/\(jobID)/savepoints")
            record(call, .failed(error))
            throw error
        }
        let trigger = triggerID ?? random.triggerID()
        let index = jobManager.index(of: jobID)
        let job = index.map { jobManager.jobs[$0] }
        var immediateFailure: FlinkFailureCause?
        var checkpointID: Int64?
        switch job?.phase {
        case nil, .ended?:
            immediateFailure = FlinkAnswers.savepointJobNotFound(jobID)
        case .initializing?:
            immediateFailure = FlinkAnswers.savepointJobInitializing(jobID)
        case .running? where job?.settings.isBatch == false:
            if let index { checkpointID = jobManager.jobs[index].checkpoints.reserveID() }
        default:
            immediateFailure = job?.settings.isBatch == true
                ? FlinkAnswers.savepointCheckpointingDisabled : FlinkAnswers.savepointTasksNotRunning(jobID)
        }
        var operation = SavepointOperation(
            jobID: jobID, triggerID: trigger, kind: kind,
            targetDirectory: targetDirectory.map(StoragePath.canonical), formatType: formatType ?? .canonical,
            triggeredAt: now, checkpointID: checkpointID,
            completesAt: immediateFailure == nil ? now + timings.savepoint.wholeMilliseconds : nil)
        if let immediateFailure {
            operation.finish(.failed(immediateFailure), at: now)
        }
        jobManager.savepoints.append(operation)
        record(call, .triggered(trigger, isNew: true))
        if let immediateFailure { note(.savepointFailed(jobID, trigger: trigger, cause: immediateFailure.summary)) }
        return trigger
    }

    /// Completes savepoint operation `index`: writes the savepoint (then stops or cancels the job for those
    /// kinds), or fails it when the job stopped running or a failure was injected (the job keeps running).
    mutating func completeSavepoint(_ index: Int) {
        let operation = jobManager.savepoints[index]
        guard let jobIndex = jobManager.index(of: operation.jobID), jobManager.jobs[jobIndex].phase.isRunning,
            let checkpointID = operation.checkpointID
        else {
            failSavepoint(index, cause: FlinkAnswers.savepointAborted(operation.jobID))
            return
        }
        let job = jobManager.jobs[jobIndex]
        if !job.savepointFailures.isEmpty {
            let message = jobManager.jobs[jobIndex].savepointFailures.removeFirst()
            failSavepoint(index, cause: FlinkAnswers.savepointIOFailure(message))
            return
        }
        let directory = operation.targetDirectory ?? job.settings.savepointDirectory
            ?? configuration.savepointDirectory.map(StoragePath.canonical) ?? "file:/"
        let location = StoragePath.join(directory, "savepoint-\(job.id.hexString.prefix(6))-\(random.hexDigits(12))")
        storage.store(StoredSnapshot(
            path: location, kind: .savepoint, checkpointID: checkpointID, jobID: job.id,
            vertexIDs: job.vertices.map(\.id), createdAt: now))
        jobManager.jobs[jobIndex].checkpoints.savepointCompleted(
            id: checkpointID, triggeredAt: operation.triggeredAt, at: now, path: location,
            type: operation.kind == .stop ? "SAVEPOINT_TERMINATE" : "SAVEPOINT")
        jobManager.savepoints[index].finish(.completed(location: location), at: now)
        note(.savepointCompleted(job.id, trigger: operation.triggerID, location: location))
        switch operation.kind {
        case .savepoint: break
        case .stop: end(jobIndex, .finished)
        case .savepointAndCancel: end(jobIndex, .canceled)
        }
    }

    /// Fails savepoint operation `index` with `cause`, counting a failed checkpoint when it had taken an id.
    private mutating func failSavepoint(_ index: Int, cause: FlinkFailureCause) {
        let operation = jobManager.savepoints[index]
        guard operation.finishedAt == nil else { return }
        jobManager.savepoints[index].finish(.failed(cause), at: now)
        if let checkpointID = operation.checkpointID, let jobIndex = jobManager.index(of: operation.jobID) {
            jobManager.jobs[jobIndex].checkpoints.snapshotFailed(
                id: checkpointID, triggeredAt: operation.triggeredAt, at: now, isSavepoint: true,
                message: cause.summary)
        }
        note(.savepointFailed(operation.jobID, trigger: operation.triggerID, cause: cause.summary))
    }

    /// Fails every savepoint of job `index` still in progress (the job stopped running).
    mutating func abortSavepoints(ofJobAt index: Int) {
        let jobID = jobManager.jobs[index].id
        for operation in jobManager.savepoints.indices
        where jobManager.savepoints[operation].jobID == jobID && jobManager.savepoints[operation].finishedAt == nil {
            failSavepoint(operation, cause: FlinkAnswers.savepointAborted(jobID))
        }
    }

    /// `GET /jobs/:id/savepoints/:triggerid`.
    func savepointStatus(of jobID: FlinkJobID, trigger triggerID: FlinkTriggerID) throws(FlinkRESTError)
        -> SavepointStatus
    {
        guard let operation = jobManager.savepoints.last(where: { $0.jobID == jobID && $0.triggerID == triggerID })
        else { throw FlinkAnswers.unknownTrigger(jobID, triggerID) }
        return operation.result
    }

    /// `POST /savepoint-disposal`: deletes `path` at once; the result (completed, or failed with
    /// `FileNotFoundException` for a missing path) is kept under a new trigger id (Flink ignores client ids here).
    mutating func disposeSavepoint(at path: String) -> FlinkTriggerID {
        let trigger = random.triggerID()
        let status: SavepointDisposalStatus
        if storage.contains(path) {
            deleteSnapshot(path)
            status = .completed
        } else {
            status = .failed(FlinkAnswers.disposalMissing(path))
        }
        jobManager.disposals.append(DisposalOperation(triggerID: trigger, path: path, status: status, finishedAt: now))
        record(.disposeSavepoint(path: path), .disposalTriggered(trigger))
        return trigger
    }

    /// `GET /savepoint-disposal/:triggerid`.
    func savepointDisposalStatus(trigger triggerID: FlinkTriggerID) throws(FlinkRESTError) -> SavepointDisposalStatus {
        guard let disposal = jobManager.disposals.last(where: { $0.triggerID == triggerID }) else {
            throw .notFound(
                "GET /savepoint-disposal/\(triggerID): org.apache.flink.runtime.rest.NotFoundException: Operation not "
                    + "found under key: org.apache.flink.runtime.rest.handler.async.OperationKey@\(triggerID.hexString.prefix(8))")
        }
        return disposal.status
    }
}
