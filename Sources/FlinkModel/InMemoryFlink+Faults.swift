import FlinkREST

/// Faults and program behaviours a test sets up. Each takes effect at the current model time and is noted in
/// `events` where it changes a job or storage.
extension InMemoryFlink {
    /// Restarts the JobManager without HA.
    ///
    /// Every job is forgotten (running ones are suspended first: their retained checkpoint survives only under
    /// `RETAIN_ON_CANCELLATION`), so are savepoint trigger results and the used job ids (a job id may be
    /// submitted again); uploaded jars are lost unless `keepJars` (an explicit `web.upload.dir` keeps them);
    /// checkpoint and savepoint storage survives. For `downtime` of model time every call fails `unreachable`.
    public func restartJobManager(keepJars: Bool, downtime: Duration = .zero) {
        state.withLock { $0.restartJobManager(keepJars: keepJars, downtime: downtime) }
    }

    /// Fails `jobID` for good (a global failure, whatever its restart strategy): FAILED with the exception as the
    /// newest entry of `jobExceptions` and as `failureCause` of its execution result. `false` when the job is
    /// unknown, cancelling or ended.
    @discardableResult
    public func failJob(
        _ jobID: FlinkJobID, message: String, exceptionClass: String = "java.lang.RuntimeException"
    ) -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex(jobID) else { return false }
            state.failTasks(index, exceptionClass: exceptionClass, message: message, global: true)
            state.processDue()
            return true
        }
    }

    /// Fails a task of `jobID`, as a program error would: the job's restart strategy decides (RESTARTING with
    /// `numRestarts` + 1, or FAILED with "Recovery is suppressed by …" caused by the exception). `false` when
    /// the job is unknown, cancelling or ended.
    @discardableResult
    public func failTasks(
        of jobID: FlinkJobID, message: String, exceptionClass: String = "java.lang.RuntimeException"
    ) -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex(jobID) else { return false }
            state.failTasks(index, exceptionClass: exceptionClass, message: message)
            state.processDue()
            return true
        }
    }

    /// Restarts `jobID` once, whatever its restart strategy: RESTARTING (`numRestarts` + 1), then RUNNING again
    /// restored from its latest checkpoint. `false` when the job is unknown, cancelling or ended.
    @discardableResult
    public func restartJob(_ jobID: FlinkJobID, message: String = "The job was restarted by the test.") -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex(jobID) else { return false }
            state.forceRestart(index, message: message)
            state.processDue()
            return true
        }
    }

    /// Makes the next `count` periodic checkpoints of `jobID` fail (each takes an id and counts as failed).
    /// `false` when the job is unknown, cancelling or ended.
    @discardableResult
    public func failCheckpoints(of jobID: FlinkJobID, count: Int = 1) -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex(jobID) else { return false }
            state.jobManager.jobs[index].checkpoints.failuresToInject += max(0, count)
            return true
        }
    }

    /// Makes the next `count` savepoints of `jobID` fail when they would complete (an IO problem: the job keeps
    /// running, a stop does not stop it). `false` when the job is unknown, cancelling or ended.
    @discardableResult
    public func failSavepoints(
        of jobID: FlinkJobID, count: Int = 1, message: String = "Failed to create savepoint directory"
    ) -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex(jobID) else { return false }
            state.jobManager.jobs[index].savepointFailures += Array(repeating: message, count: max(0, count))
            return true
        }
    }

    /// Deletes `path` from storage behind Flink's back (e.g. a retained checkpoint vanished); `false` when
    /// nothing was there. Jobs keep reporting it; a run restoring from it gets the bad-savepoint answer.
    @discardableResult
    public func deleteFromStorage(_ path: String) -> Bool {
        state.withLock { state in
            guard state.storage.contains(path) else { return false }
            state.deleteSnapshot(path)
            return true
        }
    }

    /// Puts a snapshot into storage (e.g. a savepoint from another cluster to restore from).
    public func storeSnapshot(_ snapshot: StoredSnapshot) {
        state.withLock { $0.storage.store(snapshot) }
    }

    /// Sets the backpressure ratio (0…1) of `vertexID` of `jobID`, or of all its vertices when `nil`.
    public func setBackpressure(of jobID: FlinkJobID, vertex vertexID: String? = nil, ratio: Double) {
        state.withLock { state in
            guard let index = state.jobManager.index(of: jobID) else { return }
            let vertices = vertexID.map { [$0] } ?? state.jobManager.jobs[index].vertices.map(\.id)
            for vertex in vertices { state.jobManager.jobs[index].backpressure[vertex] = ratio }
        }
    }

    /// Makes runs matching `selector` behave as `behaviour` (the most recent matching setting wins).
    public func setProgram(_ behaviour: ProgramBehaviour, for selector: ProgramSelector) {
        state.withLock { $0.programs.append(.init(selector: selector, behaviour: behaviour)) }
    }

    /// Sets the manifest `Main-Class` of jars uploaded from now on whose name ends with `suffix` (`nil`: none).
    public func setManifestEntryClass(_ entryClass: String?, forJarsNamedWithSuffix suffix: String) {
        state.withLock { $0.manifests.append(.init(jarNameSuffix: suffix, entryClass: entryClass)) }
    }
}
