import FlinkREST

/// Periodic checkpoints: ids from the job's counter, stored under `<checkpoint dir>/<job id>/chk-<id>`, the
/// previous one subsumed (deleted) when a newer completes.
extension ModelState {
    /// Takes job `index`'s periodic checkpoint (or fails it, when failures are injected).
    mutating func triggerCheckpoint(_ index: Int) {
        let job = jobManager.jobs[index]
        guard let interval = job.settings.checkpointInterval else { return }
        jobManager.jobs[index].checkpoints.nextTriggerAt = now + interval
        let id = jobManager.jobs[index].checkpoints.reserveID()
        if job.checkpoints.failuresToInject > 0 {
            jobManager.jobs[index].checkpoints.failuresToInject -= 1
            jobManager.jobs[index].checkpoints.snapshotFailed(
                id: id, triggeredAt: now, at: now, isSavepoint: false,
                message: "org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired before "
                    + "completing.")
            note(.checkpointFailed(job.id, checkpointID: id))
            return
        }
        let path = StoragePath.join(job.settings.checkpointDirectory, "\(job.id)/chk-\(id)")
        storage.store(StoredSnapshot(
            path: path, kind: .checkpoint, checkpointID: id, jobID: job.id, vertexIDs: job.vertices.map(\.id),
            createdAt: now))
        let subsumed = jobManager.jobs[index].checkpoints.checkpointCompleted(id: id, at: now, path: path)
        note(.checkpointCompleted(job.id, checkpointID: id, path: path))
        for old in subsumed where old != path { deleteSnapshot(old) }
    }

    /// `GET /jobs/:id/checkpoints`: `nil` when the job does not checkpoint (the client's mapping of Flink's 404
    /// "Checkpointing has not been enabled").
    func checkpointStatistics(_ jobID: FlinkJobID) throws(FlinkRESTError) -> CheckpointStatistics? {
        guard let index = jobManager.index(of: jobID) else {
            throw FlinkAnswers.jobNotFound("GET /jobs/\(jobID)/checkpoints", jobID)
        }
        let job = jobManager.jobs[index]
        guard job.hasExecutionGraph, job.settings.checkpointInterval != nil else { return nil }
        let inProgress = jobManager.savepoints.count { $0.jobID == jobID && $0.finishedAt == nil }
        return job.checkpoints.statistics(inProgress: inProgress)
    }
}
