import FlinkREST
import Foundation
import Kubernetes

/// The streaming job lifecycle: one function per phase, each returning the step it decides (`docs/lifecycle.md`
/// has the transition table).
///
/// Called with a usable cluster and a FlinkJob that is not being deleted. Invariants every transition keeps:
/// - a deploy happens only in `pending` (nothing of this FlinkJob is live) or as the repeat of the in-doubt
///   submission of the same job id;
/// - a running job is stopped only after the artifact of the spec that replaces it is prepared;
/// - a stateful job starts only from a proven restore point (`RestorePointPolicy`), or is held.
enum StreamingLifecycle {
    static func decide(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step {
        if let held = identityHold(context, status) { return held }
        if let adopted = adoptLiveJob(context, status, savepoint: savepoint) { return adopted }
        switch status.phase ?? .pending {
        case .pending: return pending(context, status)
        case .deploying: return deploying(context, status, savepoint: savepoint)
        case .running: return running(context, status, savepoint: savepoint)
        case .stopping: return stopping(context, status, savepoint: savepoint)
        case .suspended: return suspended(context, status)
        case .finished: return finished(context, status)
        case .failed: return failed(context, status)
        case .held: return held(context, status, savepoint: savepoint)
        case .scheduled, .succeeded:
            // Batch phases on a job whose type became Streaming: nothing of the batch lifecycle runs any more.
            var status = status
            status.phase = .pending
            return pending(context, status)
        }
    }

    /// The recorded job is live in Flink though the phase says nothing runs (a status restored from a backup, a
    /// write lost in a crash, an old operator's status): it is ours by its id, so it is adopted — never a second
    /// job deployed next to it.
    static func adoptLiveJob(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step? {
        let phase = status.phase ?? .pending
        guard [.pending, .suspended, .finished, .failed].contains(phase), let id = status.job?.id,
            let snapshot = context.observation.job, snapshot.id == id, !snapshot.state.isGloballyTerminal
        else { return nil }
        var status = status
        status.phase = .running
        status.job?.submission = .accepted
        status.pendingDeploy = nil
        if status.retry?.operation == .submit { status.retry = nil }
        var step = running(context, status, savepoint: savepoint)
        step.events.insert(JobEvent(.normal, .jobAdopted, "Observe",
            "job \(id) is live in Flink though the status said \(phase.rawValue); adopted it instead of deploying another"), at: 0)
        return step
    }

    /// Whether nothing keeps the desired spec from being deployed (validation, admission, references).
    static func mayDeploy(_ context: PlanContext) -> Bool {
        guard context.validationErrors.isEmpty, context.refusals.isEmpty else { return false }
        if case .content = context.observation.references { return true }
        if case .none = context.observation.references { return true }
        return false
    }

    // MARK: Pending

    /// Nothing is live: deploy the desired spec (after preparing it and after any backoff) or stay suspended.
    static func pending(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        if context.spec.state == .suspended {
            status.pendingDeploy = status.pendingDeploy.map { .init(reason: .resume, restorePath: $0.restorePath, since: $0.since) }
            return enterSuspended(context, status)
        }
        guard mayDeploy(context) else { return Step(status) }
        // After a job failure (or a refused submission) the next attempt waits out its backoff — unless the spec
        // changed since: a new generation supersedes a deploy that never ran, at once.
        let afterFailure = status.pendingDeploy.map { $0.reason == .recovery || $0.reason == .retry }
            ?? (status.job?.submission == .refused)
        if afterFailure, !context.specChanged(status), let at = FailureBudget.retryTime(status.failures, context.settings),
            at > context.now
        {
            return Step(status, requeue: .at(at))
        }
        if afterFailure, context.specChanged(status), let decided = status.pendingDeploy {
            status.pendingDeploy = .init(reason: .upgrade, restorePath: decided.restorePath, since: decided.since)
        }
        guard context.isPrepared(status) else { return prepare(context, status) }
        guard RetryBackoff.allows(status.retry, .submit, specHash: context.desiredHash, now: context.now) else {
            return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
        }
        let next: FlinkJobStatus.PendingDeploy
        if let decided = status.pendingDeploy {
            next = decided
        } else if status.deploySequence == nil {
            next = .init(reason: .initial, restorePath: context.spec.initialSavepointPath, since: context.nowTime)
        } else {
            // Pending with no decision recorded (a refused submission whose restore path Flink could not find, a
            // status from an earlier version): decide now, as for a lost job.
            switch RestorePointPolicy.choose(.lost, context, status) {
            case .path(let path): next = .init(reason: .retry, restorePath: path, since: context.nowTime)
            case .empty: next = .init(reason: .retry, restorePath: nil, since: context.nowTime)
            case .hold(let message, let fallback):
                return hold(.noRestorePoint, message: message, fallback: fallback, context, status)
            }
        }
        return deploy(next, context, status)
    }

    /// Plans fetching, verifying and uploading the desired spec's artifact (after any backoff).
    static func prepare(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        guard RetryBackoff.allows(status.retry, .prepare, specHash: context.desiredHash, now: context.now) else {
            return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
        }
        return Step(status, action: .prepare(context.desired), requeue: .progress)
    }

    /// Records the submission (before it is made) and plans it.
    static func deploy(_ next: FlinkJobStatus.PendingDeploy, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        let previous = status
        // A job id Flink never saw can be used again; any other gets a new one.
        let reuse = status.job?.submission == .notSent && status.deploySequence != nil
        let sequence = reuse ? (status.deploySequence ?? 1) : (status.deploySequence ?? 0) + 1
        let jobID = DeploymentIdentity.jobID(uid: context.uid, sequence: sequence)
        if previous.lastAppliedSpecHash != context.desiredHash {
            // A new spec: its failures start from zero, and the stable spec is kept for a rollback.
            status.failures = nil
            if context.spec.rollback.enabled, previous.lastStableSpecHash == previous.lastAppliedSpecHash {
                status.lastStableSpec = previous.lastAppliedSpec
            }
        }
        if next.restorePath == nil || next.restorePath == context.spec.initialSavepointPath {
            status.stateLineageStart = sequence
        }
        status.deploySequence = sequence
        status.job = FlinkJobStatus.Job(
            id: jobID, submitTime: context.nowTime, restoredFrom: next.restorePath, cluster: context.desired.clusterRef,
            restURL: context.facts?.restURL, flinkClusterId: context.facts?.flinkClusterId, reason: next.reason)
        status.lastAppliedSpecHash = context.desiredHash
        status.lastAppliedSpec = context.desired.boundedCopy
        status.parallelism = status.parallelism ?? context.desired.parallelism
        if var checkpoints = status.checkpoints {
            // Flink's failure counts are per job: the new job starts at zero.
            checkpoints.failedCount = nil
            checkpoints.failedCountAtLastCompleted = nil
            status.checkpoints = checkpoints
        }
        status.pendingDeploy = nil
        status.health = nil
        status.phase = .deploying
        if status.retry?.operation != .prepare { status.retry = nil }
        let deployment = Deployment(
            jobID: jobID, sequence: sequence, spec: context.desired, restorePath: next.restorePath,
            allowNonRestoredState: context.spec.allowNonRestoredState, reason: next.reason, jobName: context.jobName,
            prepared: status.prepared)
        let note = "submitting job \(jobID)\(StatusProjection.from(next.restorePath)) (\(next.reason.rawValue))"
        return Step(status, action: .deploy(deployment), events: [JobEvent(.normal, .deploying, "Deploy", note)], requeue: .progress)
    }

    // MARK: Deploying

    /// A submission is recorded: wait for Flink to show the job, repeat the submission whose answer was lost, or
    /// go back to pending when Flink refused it.
    static func deploying(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step {
        var status = status
        guard let job = status.job, let jobID = job.id else {
            status.phase = .pending
            return pending(context, status)
        }
        if let snapshot = context.observation.job, snapshot.id == jobID {
            if snapshot.state.isGloballyTerminal { return ended(snapshot, context, status) }
            status.phase = .running
            if status.retry?.operation == .submit { status.retry = nil }
            let answerWasLost = job.submission == nil
            status.job?.submission = .accepted
            var step = running(context, status, savepoint: savepoint)
            if answerWasLost {
                // The submission got through though its answer did not (a crash, a timeout): the job Flink shows is
                // ours by its deterministic id, so it is adopted rather than submitted a second time.
                step.events.insert(JobEvent(.normal, .jobAdopted, "Deploy",
                    "job \(jobID) was submitted though the answer was lost; adopted it"), at: 0)
            }
            return step
        }
        switch job.submission {
        case .refused?, .notSent?:
            status.phase = .pending
            return pending(context, status)
        case .accepted?:
            return lost(context, status)
        case nil:
            break
        }
        // The answer to the submission was lost (a crash, a timeout, a 5xx): submit the same job id again — Flink
        // answers "duplicate" if the first attempt got through — as long as the spec is the one recorded for it.
        let sameSpec = context.desiredHash == status.lastAppliedSpecHash && context.isPrepared(status)
        if sameSpec, mayDeploy(context) {
            guard RetryBackoff.allows(status.retry, .submit, specHash: context.desiredHash, now: context.now) else {
                return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
            }
            let deployment = Deployment(
                jobID: jobID, sequence: status.deploySequence ?? 1, spec: context.desired, restorePath: job.restoredFrom,
                allowNonRestoredState: context.spec.allowNonRestoredState, reason: job.reason ?? .retry,
                jobName: context.jobName, prepared: status.prepared)
            let note = "submitting job \(jobID) again: the answer to its submission was lost"
            return Step(status, action: .deploy(deployment), events: [JobEvent(.normal, .deploying, "Deploy", note)], requeue: .progress)
        }
        // The spec changed (or was refused) since: the lost submission may still turn up in Flink, so a different
        // spec waits until it cannot any more, then deploys under a new job id.
        let submitted = job.submitTime?.date ?? context.now
        let settled = submitted.addingTimeInterval(context.settings.submissionDoubtWindow.secondsDouble)
        if context.now < settled {
            return Step(status, requeue: .at(settled))
        }
        status.job?.submission = .refused
        status.pendingDeploy = .init(reason: job.reason ?? .retry, restorePath: job.restoredFrom, since: context.nowTime)
        status.phase = .pending
        var step = pending(context, status)
        step.events.insert(JobEvent(.normal, .superseded, "Deploy",
            "job \(jobID) never appeared in Flink within \(context.settings.submissionDoubtWindow); deploying the current spec instead"), at: 0)
        return step
    }

    // MARK: Running

    /// The job is live: keep it healthy, take savepoints, and start an upgrade, rescale, suspend or rollback when
    /// the spec asks for one.
    static func running(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step {
        var status = status
        guard let jobID = status.job?.id, let snapshot = context.observation.job, snapshot.id == jobID else {
            if let recorded = status.job?.flinkState.map(FlinkJobState.init(rawValue:)), recorded.isGloballyTerminal,
                let jobID = status.job?.id
            {
                // Seen ending before; Flink has since dropped it from its job history. Not lost: decide as if it
                // were still reported in the state it ended in.
                return ended(FlinkJobSnapshot(id: jobID, state: recorded, failureCause: status.failures?.lastMessage), context, status)
            }
            return lost(context, status)
        }
        if snapshot.state.isGloballyTerminal { return ended(snapshot, context, status) }
        var events: [JobEvent] = []
        let wasHealthy = context.previous.job?.id == jobID && context.previous.job?.healthySince != nil
        if snapshot.isFullyRunning {
            if !wasHealthy { events.append(JobEvent(.normal, .jobRunning, "Observe", "job \(jobID) is running with all tasks")) }
            if status.lastStableSpecHash != status.lastAppliedSpecHash {
                status.lastStableSpecHash = status.lastAppliedSpecHash
                status.lastStableSpec = nil  // the applied copy is the stable one now
            }
        }
        if FailureBudget.forgives(status, context) {
            events.append(JobEvent(.normal, .failuresForgiven, "Recover",
                "job \(jobID) ran healthily for \(context.settings.healthyRunDuration); \(status.failures?.count ?? 0) earlier failure(s) no longer count"))
            status.failures = nil
        }
        let (checked, healthEvents) = HealthEvaluation.record(HealthEvaluation.problems(snapshot, context, status), status)
        status = checked
        events += healthEvents

        func finish(_ step: Step) -> Step {
            var step = step
            step.events = events + step.events
            return step
        }

        // A savepoint in flight finishes first: nothing else starts meanwhile.
        if savepoint.inProgress || status.savepoints?.pending != nil { return finish(Step(status, requeue: .progress)) }
        if context.spec.state == .suspended { return finish(beginStop(.suspend, snapshot, context, status)) }
        if context.specChanged(status), context.referencesKnown, mayDeploy(context) {
            return finish(change(snapshot, context, status))
        }
        if let rollback = rollbackOnTimeout(snapshot, context, status) { return finish(rollback) }
        if let reason = SavepointLifecycle.due(snapshot, context, status) {
            return finish(SavepointLifecycle.start(jobID: jobID, reason: reason, stop: false, context, status))
        }
        let requeue: Requeue = snapshot.isFullyRunning ? .steady : .progress
        return finish(Step(status, requeue: requeue))
    }

    /// The spec changed under a live job: supersede a deploy that never ran, rescale in place, or prepare and then
    /// stop for the upgrade.
    static func change(_ snapshot: FlinkJobSnapshot, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        let neverRan = status.lastStableSpecHash != status.lastAppliedSpecHash && !snapshot.isFullyRunning
            && status.job?.healthySince == nil && !ownCheckpoint(status)
        if neverRan {
            // The job made no state of its own: cancel it and start the new spec where it started.
            let stop = FlinkJobStatus.StopOperation(
                purpose: .upgrade, mode: .cancel, jobId: snapshot.id, restore: .startPoint, since: context.nowTime)
            status.stop = stop
            status.phase = .stopping
            let note = "job \(snapshot.id) never ran; cancelling it to deploy generation \(context.job.metadata.generation ?? 0) instead"
            return Step(status, action: .cancel(jobID: snapshot.id), events: [JobEvent(.normal, .superseded, "Upgrade", note)], requeue: .progress)
        }
        if context.specChangeIsRescaleOnly(status), snapshot.state == .running {
            guard RetryBackoff.allows(status.retry, .rescale, specHash: context.desiredHash, now: context.now) else {
                return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
            }
            let note = "rescaling job \(snapshot.id) in place to parallelism \(context.desired.parallelism)"
            return Step(status, action: .rescale(jobID: snapshot.id, parallelism: context.desired.parallelism),
                        events: [JobEvent(.normal, .rescaling, "Rescale", note)], requeue: .progress)
        }
        guard context.isPrepared(status) else { return prepare(context, status) }
        return beginStop(context.rollingBack ? .rollback : .upgrade, snapshot, context, status)
    }

    /// Whether the current job completed a checkpoint of its own.
    static func ownCheckpoint(_ status: FlinkJobStatus) -> Bool {
        guard let id = status.job?.id, let path = status.checkpoints?.lastCompleted?.path else { return false }
        return path.contains(id)
    }

    /// Starts a rollback when the applied spec did not become ready within `rollback.readinessTimeout`.
    static func rollbackOnTimeout(_ snapshot: FlinkJobSnapshot, _ context: PlanContext, _ status: FlinkJobStatus) -> Step? {
        guard !snapshot.isFullyRunning, rollbackPossible(context, status),
            let submitted = status.job?.submitTime, let timeout = GoDuration.parse(context.spec.rollback.readinessTimeout),
            context.now.timeIntervalSince(submitted.date) > timeout.secondsDouble
        else { return nil }
        var status = status
        status.rollback = .init(failedSpecHash: DeploySpec(context.spec, referencedContentHash: context.desired.referencedContentHash).hash, time: context.nowTime)
        let message = "the new spec was not ready within \(context.spec.rollback.readinessTimeout); rolling back to the last stable spec"
        return Step(status, events: [JobEvent(.warning, .rollingBack, "Rollback", message)], requeue: .now)
    }

    /// Whether a rollback to the last stable spec can happen now.
    static func rollbackPossible(_ context: PlanContext, _ status: FlinkJobStatus) -> Bool {
        guard context.spec.rollback.enabled, status.rollback == nil, !context.rollingBack,
            let stable = status.lastStableSpecHash, stable != status.lastAppliedSpecHash
        else { return false }
        return DeploySpec.copy(status.lastStableSpec, matching: stable) != nil
    }

    // MARK: Suspended, finished, failed

    static func enterSuspended(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        let entering = status.phase != .suspended
        status.phase = .suspended
        let events = entering ? [JobEvent(.normal, .suspended, "Suspend", "job is suspended; no Flink job runs")] : []
        return Step(status, events: events)
    }

    static func suspended(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        guard context.spec.state == .running else { return Step(status) }
        return redeploy(.resume, purpose: .resume, context, status)
    }

    static func finished(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        guard context.specChanged(status), context.referencesKnown else { return Step(status) }
        return redeploy(.upgrade, purpose: .resume, context, status)
    }

    static func failed(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        guard context.specChanged(status), context.referencesKnown else { return Step(status) }
        var status = status
        status.failures = nil
        return redeploy(.upgrade, purpose: .recovery, context, status)
    }

    /// Goes to `pending` with the restore point `purpose` calls for (or holds), and deploys when it can.
    static func redeploy(
        _ reason: Deployment.Reason, purpose: RestorePointPolicy.Purpose, _ context: PlanContext, _ status: FlinkJobStatus
    ) -> Step {
        var status = status
        switch RestorePointPolicy.choose(purpose, context, status) {
        case .path(let path): status.pendingDeploy = .init(reason: reason, restorePath: path, since: context.nowTime)
        case .empty: status.pendingDeploy = .init(reason: reason, restorePath: nil, since: context.nowTime)
        case .hold(let message, let fallback):
            return hold(.noRestorePoint, message: message, fallback: fallback, context, status)
        }
        status.phase = .pending
        return pending(context, status)
    }
}
