import FlinkREST

/// A job's way through its states: the steps time triggers and the ones calls and faults cause.
///
/// | From | Event | To |
/// |---|---|---|
/// | INITIALIZING | initialized (restores the submission snapshot) | CREATED (scheduling) |
/// | CREATED | scheduled, slots free | RUNNING, tasks DEPLOYING |
/// | CREATED | scheduled, too few slots | RUNNING, tasks SCHEDULED (default) / CREATED waiting (adaptive, batch) |
/// | waiting | slots freed | RUNNING, tasks DEPLOYING |
/// | waiting | slot request timeout | task failure (default) / FAILED (adaptive, batch) |
/// | DEPLOYING | deployed | RUNNING, tasks RUNNING (checkpoint scheduler starts) |
/// | RUNNING | batch work done | FINISHED |
/// | RUNNING | rescale due | RUNNING, tasks DEPLOYING (restored from the latest checkpoint) |
/// | any running state | task failure, strategy allows | RESTARTING → tasks DEPLOYING (restored) |
/// | any running state | task failure, strategy gives up; global failure | FAILED |
/// | any running state | cancel | CANCELLING → CANCELED |
/// | RUNNING | stop / savepoint-with-cancel completed | FINISHED / CANCELED |
extension ModelState {
    /// Moves job `index` to `phase`, noting a state change.
    mutating func move(_ index: Int, to phase: JobPhase) {
        let before = jobManager.jobs[index].state
        jobManager.jobs[index].enter(phase, at: now)
        if phase.state != before { note(.jobStateChanged(jobManager.jobs[index].id, phase.state)) }
    }

    /// Performs the step of job `index` that is due now.
    mutating func fireJob(_ index: Int) {
        let job = jobManager.jobs[index]
        switch job.phase {
        case .initializing:
            jobManager.jobs[index].hasExecutionGraph = true
            jobManager.jobs[index].checkpoints.recordInitialRestore(at: now)
            move(index, to: .scheduling(until: now + timings.scheduling.wholeMilliseconds))
        case .scheduling:
            schedule(index)
        case .waitingForSlots:
            failTasks(index, exceptionClass: Self.noResourceClass, message: Self.noResourceMessage)
        case .waitingForResources:
            failTasks(index, exceptionClass: Self.noResourceClass, message: Self.noResourceMessage, global: true)
        case .deploying:
            jobManager.jobs[index].deployedAt = now
            jobManager.jobs[index].checkpoints.nextTriggerAt = job.settings.checkpointInterval.map { now + $0 }
            move(index, to: .running(since: now))
        case .cancelling:
            end(index, .canceled)
        case .restarting:
            jobManager.jobs[index].attempt += 1
            jobManager.jobs[index].checkpoints.recordInternalRestore(at: now)
            if job.slots >= job.minimumSlots {
                move(index, to: .deploying(until: now + timings.taskDeployment.wholeMilliseconds))
            } else {
                schedule(index)
            }
        case .running(let since):
            if let time = failureTime(of: job, runningSince: since), time <= now, let failure = job.behaviour.failure {
                failTasks(index, exceptionClass: failure.exceptionClass, message: failure.message)
            } else if let time = batchEnd(of: job, runningSince: since), time <= now {
                end(index, .finished)
            } else if let time = job.pendingRescaleAt, time <= now {
                rescale(index)
            } else if let time = job.checkpoints.nextTriggerAt, time <= now {
                triggerCheckpoint(index)
            }
        case .ended:
            break
        }
    }

    static let noResourceClass = "org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException"
    static let noResourceMessage = "Could not acquire the minimum required resources."

    /// Requests slots for job `index`: all at once (default scheduler) or what is free (adaptive, batch).
    mutating func schedule(_ index: Int) {
        let job = jobManager.jobs[index]
        let free = freeSlots + job.slots
        if free >= job.minimumSlots {
            deploy(index, slots: min(job.desiredSlots, free))
        } else {
            jobManager.jobs[index].slots = 0
            move(index, to: job.takesWhatItGets ? .waitingForResources(since: now) : .waitingForSlots(since: now))
        }
    }

    /// Gives job `index` `slots` slots and deploys its tasks.
    mutating func deploy(_ index: Int, slots: Int) {
        jobManager.jobs[index].assign(slots: slots)
        move(index, to: .deploying(until: now + timings.taskDeployment.wholeMilliseconds))
    }

    /// Stops what only a running job does: the checkpoint scheduler, a pending rescale, savepoints in progress.
    mutating func stopRunning(_ index: Int) {
        jobManager.jobs[index].checkpoints.nextTriggerAt = nil
        jobManager.jobs[index].pendingRescaleAt = nil
        abortSavepoints(ofJobAt: index)
    }

    /// Ends job `index` for good in `state` (FINISHED, CANCELED or FAILED): slots freed, retention applied.
    mutating func end(_ index: Int, _ state: FlinkJobState) {
        stopRunning(index)
        jobManager.jobs[index].slots = 0
        jobManager.jobs[index].endedAt = now
        move(index, to: .ended(state))
        let ending: JobSettings.JobEnding = state == .finished ? .finished : state == .canceled ? .canceled : .failed
        discardCheckpoints(ofJobAt: index, on: ending)
    }

    /// Deletes the checkpoints job `index` does not retain when it ends in `ending`.
    mutating func discardCheckpoints(ofJobAt index: Int, on ending: JobSettings.JobEnding) {
        let retention = jobManager.jobs[index].settings.retention
        for path in jobManager.jobs[index].checkpoints.pathsDiscarded(on: ending, retention: retention) {
            deleteSnapshot(path)
        }
    }

    /// Cancels job `index`: CANCELLING for `Timings.cancellation`, then CANCELED. Nothing for a job that is
    /// ending or ended.
    mutating func cancel(_ index: Int) {
        switch jobManager.jobs[index].phase {
        case .ended, .cancelling:
            return
        default:
            stopRunning(index)
            let delay = timings.cancellation.wholeMilliseconds
            if delay > 0 {
                move(index, to: .cancelling(until: now + delay))
            } else {
                end(index, .canceled)
            }
        }
    }

    /// A failure of job `index`: with `global` or when the restart strategy gives up the job FAILS with the
    /// cause; otherwise it restarts after the strategy's delay (`numRestarts` + 1).
    mutating func failTasks(_ index: Int, exceptionClass: String, message: String, global: Bool = false) {
        let job = jobManager.jobs[index]
        guard !job.phase.isEnded else { return }
        jobManager.jobs[index].failedRuns += 1
        let userCause = "\(exceptionClass): \(message)"
        let vertex = job.vertices.first
        let taskEntry = JobExceptionHistory.Entry(
            exceptionName: exceptionClass, stackTrace: userCause + FlinkAnswers.frame, timestamp: now,
            taskName: vertex.map { "\($0.name) (1/\($0.parallelism)) - execution #\(job.attempt)" },
            endpoint: "localhost:40000", failureLabels: [:], concurrentExceptions: [])
        stopRunning(index)
        if !global, let delay = job.settings.restartPolicy.delay(beforeRestart: job.numRestarts + 1) {
            jobManager.jobs[index].numRestarts += 1
            jobManager.jobs[index].exceptions.insert(taskEntry, at: 0)
            move(index, to: .restarting(until: now + delay))
            return
        }
        let cause = global
            ? FlinkAnswers.cause(exceptionClass, message)
            : FlinkAnswers.recoverySuppressed(strategy: job.settings.restartPolicy.strategyName, userCause: userCause)
        let entry = JobExceptionHistory.Entry(
            exceptionName: cause.className, stackTrace: cause.stackTrace, timestamp: now, failureLabels: [:],
            concurrentExceptions: global ? [] : [taskEntry])
        jobManager.jobs[index].exceptions.insert(entry, at: 0)
        jobManager.jobs[index].failureCause = cause
        end(index, .failed)
    }

    /// Restarts job `index` once, whatever its restart strategy (`numRestarts` + 1).
    mutating func forceRestart(_ index: Int, message: String) {
        let job = jobManager.jobs[index]
        stopRunning(index)
        jobManager.jobs[index].numRestarts += 1
        jobManager.jobs[index].exceptions.insert(
            JobExceptionHistory.Entry(
                exceptionName: "org.apache.flink.util.FlinkException", stackTrace:
                    "org.apache.flink.util.FlinkException: \(message)" + FlinkAnswers.frame,
                timestamp: now, failureLabels: [:], concurrentExceptions: []),
            at: 0)
        let delay = job.settings.restartPolicy.delay(beforeRestart: 1) ?? timings.restartDelay.wholeMilliseconds
        move(index, to: .restarting(until: now + delay))
    }

    /// Applies job `index`'s resource requirements with the slots it can get (a restart inside the JobManager:
    /// same job id, RUNNING throughout, state restored from the latest checkpoint).
    mutating func rescale(_ index: Int) {
        jobManager.jobs[index].pendingRescaleAt = nil
        let job = jobManager.jobs[index]
        let slots = min(job.desiredSlots, job.slots + freeSlots)
        let unchanged = job.vertices.allSatisfy { $0.parallelism == min($0.upperBound, slots) }
        guard slots >= job.minimumSlots, !unchanged else { return }
        stopRunning(index)
        jobManager.jobs[index].attempt += 1
        jobManager.jobs[index].checkpoints.recordInternalRestore(at: now)
        deploy(index, slots: slots)
        note(.jobRescaled(job.id, parallelism: slots))
    }
}
