import FlinkREST

/// Faults a test causes: a JobManager restart without HA, job failures and restarts.
extension ModelState {
    /// Restarts the JobManager without HA: running jobs are suspended (their checkpoints kept only under
    /// `RETAIN_ON_CANCELLATION`), then every job, trigger result and used job id is forgotten; jars go unless
    /// `keepJars`; storage stays. The REST API is unreachable for `downtime`.
    mutating func restartJobManager(keepJars: Bool, downtime: Duration) {
        for index in jobManager.jobs.indices where !jobManager.jobs[index].phase.isEnded {
            discardCheckpoints(ofJobAt: index, on: .suspended)
        }
        jobManager = JobManagerMemory()
        if !keepJars { jars = [] }
        unavailableUntil = downtime > .zero ? now + downtime.wholeMilliseconds : nil
        note(.jobManagerRestarted(keptJars: keepJars))
    }

    /// The index of a job that is neither ended nor being cancelled (faults do not touch those).
    func liveIndex(_ jobID: FlinkJobID) -> Int? {
        guard let index = jobManager.index(of: jobID) else { return nil }
        switch jobManager.jobs[index].phase {
        case .ended, .cancelling: return nil
        default: return index
        }
    }
}
