/// The model clock: what is scheduled when, and processing it in time order.
extension ModelState {
    /// The earliest model time (epoch ms) something is scheduled for, if anything is.
    func nextEventTime() -> Int64? {
        var earliest: Int64?
        for job in jobManager.jobs {
            if let time = nextDeadline(of: job), earliest.map({ time < $0 }) ?? true { earliest = time }
        }
        for operation in jobManager.savepoints {
            if let time = operation.completesAt, earliest.map({ time < $0 }) ?? true { earliest = time }
        }
        return earliest
    }

    /// When `job`'s next step is due.
    func nextDeadline(of job: ModelJob) -> Int64? {
        switch job.phase {
        case .initializing(let until), .scheduling(let until), .deploying(let until), .cancelling(let until),
            .restarting(let until):
            return until
        case .waitingForSlots(let since), .waitingForResources(let since):
            return since + timings.slotRequestTimeout.wholeMilliseconds
        case .running(let since):
            return [failureTime(of: job, runningSince: since), batchEnd(of: job, runningSince: since),
                    job.pendingRescaleAt, job.checkpoints.nextTriggerAt]
                .compactMap { $0 }.min()
        case .ended:
            return nil
        }
    }

    /// When the program's configured failure hits the current run, if it does.
    func failureTime(of job: ModelJob, runningSince since: Int64) -> Int64? {
        guard let failure = job.behaviour.failure, failure.runs.map({ job.failedRuns < $0 }) ?? true else {
            return nil
        }
        return since + max(1, failure.after.wholeMilliseconds)
    }

    /// When a batch job's tasks are done.
    func batchEnd(of job: ModelJob, runningSince since: Int64) -> Int64? {
        guard job.settings.isBatch else { return nil }
        return since + (job.behaviour.batchRun ?? timings.batchRun).wholeMilliseconds
    }

    /// Processes everything due up to `elapsed + step`, in time order, then moves the clock there.
    ///
    /// Events at the same millisecond run in job submission order, then savepoint trigger order.
    mutating func advance(by step: Duration) {
        let target = elapsed + max(.zero, step)
        let targetTime = configuration.startTime + target.wholeMilliseconds
        while let time = nextEventTime(), time <= targetTime {
            if time > now { elapsed = .milliseconds(time - configuration.startTime) }
            fireDue()
        }
        elapsed = max(elapsed, target)
        settle()
    }

    /// Processes what is due now (zero-delay steps a call caused).
    mutating func processDue() {
        advance(by: .zero)
    }

    /// Moves the clock to the next scheduled event and processes it; `false` when nothing is scheduled.
    mutating func step() -> Bool {
        guard let time = nextEventTime() else { return false }
        advance(by: .milliseconds(max(0, time - now)))
        return true
    }

    /// Fires every job step and savepoint completion due at `now`, then settles.
    private mutating func fireDue() {
        for index in jobManager.jobs.indices {
            while let deadline = nextDeadline(of: jobManager.jobs[index]), deadline <= now {
                fireJob(index)
            }
        }
        for index in jobManager.savepoints.indices {
            if let time = jobManager.savepoints[index].completesAt, time <= now { completeSavepoint(index) }
        }
        settle()
    }

    /// Hands free slots to waiting jobs (oldest first), lets adaptive jobs grow into free slots, and forgets ended
    /// jobs and operation results past their retention.
    mutating func settle() {
        var free = freeSlots
        for index in jobManager.jobs.indices where free > 0 {
            let job = jobManager.jobs[index]
            switch job.phase {
            case .waitingForSlots, .waitingForResources:
                guard free >= job.minimumSlots else { continue }
                let slots = min(job.desiredSlots, free)
                free -= slots
                deploy(index, slots: slots)
            case .running where job.schedulerType == "Adaptive" && job.slots < job.desiredSlots
                && job.pendingRescaleAt == nil:
                jobManager.jobs[index].pendingRescaleAt = now + timings.rescale.wholeMilliseconds
            default:
                continue
            }
        }
        purgeExpired()
    }

    private mutating func purgeExpired() {
        let now = self.now
        let jobRetention = timings.jobRetention.wholeMilliseconds
        let operationRetention = timings.operationRetention.wholeMilliseconds
        jobManager.jobs.removeAll { job in job.endedAt.map { $0 + jobRetention <= now } ?? false }
        jobManager.savepoints.removeAll { operation in
            operation.finishedAt.map { $0 + operationRetention <= now } ?? false
        }
        jobManager.disposals.removeAll { $0.finishedAt + operationRetention <= now }
    }
}
