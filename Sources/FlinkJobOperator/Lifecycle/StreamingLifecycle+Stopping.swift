import FlinkREST
import Foundation
import Kubernetes

extension StreamingLifecycle {
    // MARK: Stopping

    /// Starts stopping the live job for `purpose`, the way `upgradeMode` keeps its state.
    static func beginStop(
        _ purpose: FlinkJobStatus.StopOperation.Purpose, _ snapshot: FlinkJobSnapshot, _ context: PlanContext,
        _ status: FlinkJobStatus
    ) -> Step {
        var status = status
        var mode: FlinkJobStatus.StopOperation.Mode
        var restore: FlinkJobStatus.StopOperation.RestoreFrom
        switch context.spec.upgradeMode {
        case .savepoint where snapshot.state != .running && context.spec.recovery.onFailure == .fromLatestCheckpoint:
            // A job that is not running cannot take a savepoint; where the spec allows recovery from checkpoints,
            // a crash-looping job is stopped by a cancel and the next run starts from its newest checkpoint (its
            // state kept, never stateless).
            (mode, restore) = (.cancel, .checkpoint)
        case .savepoint: (mode, restore) = (.savepoint, .savepoint)
        case .lastState: (mode, restore) = (.cancel, .checkpoint)
        case .stateless: (mode, restore) = (.cancel, .empty)
        }
        if purpose == .delete, context.spec.deletePolicy == .cancel {
            return cancelStop(.init(purpose: purpose, mode: .cancel, jobId: snapshot.id, restore: .empty, since: context.nowTime), context, status)
        }
        // `deletePolicy: Savepoint` leaves a final savepoint whatever the upgrade mode — for a Stateless job only
        // where a savepoint directory is known (its spec says its state may go).
        if purpose == .delete, context.spec.deletePolicy == .savepoint, snapshot.state == .running,
            context.spec.upgradeMode != .stateless || context.savepointDirectory != nil
        {
            (mode, restore) = (.savepoint, .savepoint)
        }
        let stop = FlinkJobStatus.StopOperation(purpose: purpose, mode: mode, jobId: snapshot.id, restore: restore, since: context.nowTime)
        guard mode == .savepoint else { return cancelStop(stop, context, status) }
        guard RetryBackoff.allows(status.retry, .savepoint, specHash: nil, now: context.now) else {
            // The last savepoint failed: the job keeps running until the retry is due.
            return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
        }
        status.stop = stop
        status.phase = .stopping
        let reason: FlinkJobStatus.SavepointReason =
            switch purpose {
            case .upgrade: .upgrade
            case .suspend: .suspend
            case .delete: .delete
            case .rollback: .rollback
            }
        return SavepointLifecycle.start(jobID: snapshot.id, reason: reason, stop: true, context, status)
    }

    static func cancelStop(_ stop: FlinkJobStatus.StopOperation, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        status.stop = stop
        status.phase = .stopping
        let note = "cancelling job \(stop.jobId) (\(stop.purpose.rawValue.lowercased()), upgradeMode \(context.spec.upgradeMode.rawValue))"
        return Step(status, action: .cancel(jobID: stop.jobId), events: [JobEvent(.normal, .cancelling, "Stop", note)], requeue: .progress)
    }

    /// A stop is in progress: wait for it, repeat a cancel Flink has not acted on, and once the job has ended
    /// continue with what the stop was for.
    static func stopping(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step {
        var status = status
        guard let stop = status.stop else {
            status.phase = .running
            return running(context, status, savepoint: savepoint)
        }
        let snapshot = context.observation.job.flatMap { $0.id == stop.jobId ? $0 : nil }
        let live = snapshot.map { !$0.state.isGloballyTerminal } ?? false
        switch stop.mode {
        case .savepoint:
            if let record = savepoint.completed { status.stop?.savepoint = record.location }
            if let location = status.stop?.savepoint {
                // Taken: continue once Flink shows the job ended.
                if live { return Step(status, requeue: .progress) }
                return afterStop(stop, restorePath: location, context, status)
            }
            if savepoint.failed || (status.savepoints?.pending == nil && !savepoint.inProgress) {
                // The stop did not happen: a live job keeps running (and the stop is retried after the backoff);
                // one that ended anyway continues from its newest proven state.
                status.stop = nil
                if live {
                    status.phase = .running
                    return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
                }
                return afterStop(stop, restoreFrom: .checkpoint, context, status)
            }
            return Step(status, requeue: .progress)
        case .cancel:
            if live {
                guard RetryBackoff.allows(status.retry, .cancel, specHash: nil, now: context.now) else {
                    return Step(status, requeue: .at(status.retry?.notBefore.date ?? context.now))
                }
                return Step(status, action: .cancel(jobID: stop.jobId), requeue: .progress)
            }
            if status.retry?.operation == .cancel { status.retry = nil }
            return afterStop(stop, restoreFrom: stop.restore, context, status)
        }
    }

    /// The stopped job has ended: decide where the next run starts from, then do what the stop was for.
    static func afterStop(
        _ stop: FlinkJobStatus.StopOperation, restoreFrom: FlinkJobStatus.StopOperation.RestoreFrom, _ context: PlanContext,
        _ status: FlinkJobStatus
    ) -> Step {
        switch restoreFrom {
        case .empty:
            return afterStop(stop, restorePath: nil, context, status)
        case .startPoint:
            return afterStop(stop, restorePath: status.job?.restoredFrom, context, status)
        case .savepoint, .checkpoint:
            guard stop.purpose == .upgrade || stop.purpose == .rollback else {
                return afterStop(stop, restorePath: nil, context, status)
            }
            switch RestorePointPolicy.choose(.recovery, context, status) {
            case .path(let path): return afterStop(stop, restorePath: path, context, status)
            case .empty: return afterStop(stop, restorePath: nil, context, status)
            case .hold(let message, let fallback):
                var status = status
                status.stop = nil
                return hold(.noRestorePoint, message: message, fallback: fallback, context, status)
            }
        }
    }

    static func afterStop(
        _ stop: FlinkJobStatus.StopOperation, restorePath: String?, _ context: PlanContext, _ status: FlinkJobStatus
    ) -> Step {
        var status = status
        status.stop = nil
        switch stop.purpose {
        case .upgrade, .rollback:
            status.pendingDeploy = .init(reason: stop.purpose == .rollback ? .rollback : .upgrade, restorePath: restorePath, since: context.nowTime)
            status.phase = .pending
            return pending(context, status)
        case .suspend:
            return enterSuspended(context, status)
        case .delete:
            return Step(status, action: .removeFinalizer, events: [JobEvent(.normal, .deleted, "Delete", "the Flink job is stopped")])
        }
    }

    // MARK: Ended, lost

    /// The current job ended by itself: finished, or failed (recovery, rollback or Failed).
    static func ended(_ snapshot: FlinkJobSnapshot, _ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        if snapshot.state == .finished {
            let entering = status.phase != .finished
            status.phase = .finished
            let events = entering ? [JobEvent(.normal, .jobFinished, "Observe", "job \(snapshot.id) finished")] : []
            return Step(status, events: events)
        }
        let cause = snapshot.failureCause ?? "job \(snapshot.id) ended \(snapshot.state.rawValue)"
        var events: [JobEvent] = []
        if status.failures?.lastJobId != snapshot.id {
            var failures = FailureBudget.counting(status.failures, message: cause, now: context.nowTime)
            failures.lastJobId = snapshot.id
            status.failures = failures
            events.append(JobEvent(.warning, .jobFailed, "Observe", cause))
        }
        if rollbackPossible(context, status) {
            status.rollback = .init(failedSpecHash: DeploySpec(context.spec, referencedContentHash: context.desired.referencedContentHash).hash, time: context.nowTime)
            events.append(JobEvent(.warning, .rollingBack, "Rollback",
                "the new spec's job failed (\(cause)); rolling back to the last stable spec"))
            var step = redeployRollback(context, status)
            step.events = events + step.events
            return step
        }
        if FailureBudget.isExhausted(status.failures, context.spec) {
            let entering = status.phase != .failed
            status.phase = .failed
            if entering {
                let why = context.spec.recovery.onFailure == .never ? "recovery.onFailure is Never" : "backoff limit \(context.spec.recovery.backoffLimit) reached"
                events.append(JobEvent(.warning, context.spec.recovery.onFailure == .never ? .jobFailed : .backoffLimitExceeded, "Recover", "\(cause) (\(why))"))
            }
            return Step(status, events: events)
        }
        var step = redeploy(.recovery, purpose: .recovery, context, status)
        step.events = events + step.events
        return step
    }

    /// Deploys the last stable spec (the context's desired spec is the user's this pass; the next pass plans the
    /// rollback's spec, so this only records the decision and looks again at once).
    static func redeployRollback(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        switch RestorePointPolicy.choose(.recovery, context, status) {
        case .path(let path): status.pendingDeploy = .init(reason: .rollback, restorePath: path, since: context.nowTime)
        case .empty: status.pendingDeploy = .init(reason: .rollback, restorePath: nil, since: context.nowTime)
        case .hold(let message, let fallback):
            return hold(.noRestorePoint, message: message, fallback: fallback, context, status)
        }
        status.phase = .pending
        return Step(status, requeue: .now)
    }

    /// Flink does not know the current job any more (a JobManager restart without HA): redeploy from its newest
    /// proven state, or hold.
    static func lost(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        let jobID = status.job?.id ?? "-"
        var step = redeploy(.lostJob, purpose: .lost, context, status)
        step.events.insert(JobEvent(.warning, .jobLost, "Observe",
            "Flink no longer knows job \(jobID) (JobManager restarted without HA?)"), at: 0)
        return step
    }

    // MARK: Holds

    /// Goes to `held` with a hold a person releases (or that resolves by itself).
    static func hold(
        _ reason: FlinkJobStatus.Hold.Reason, message: String, fallback: String?, _ context: PlanContext,
        _ status: FlinkJobStatus
    ) -> Step {
        var status = status
        if let existing = status.hold, existing.reason == reason {
            status.hold?.message = message
            status.hold?.fallback = fallback
            status.phase = .held
            return Step(status)
        }
        let token = HoldToken.derive(uid: context.uid, reason: reason, since: context.nowTime)
        let namespace = context.job.metadata.namespace.map { " -n \($0)" } ?? ""
        let release = "kubectl annotate flinkjob\(namespace) \(context.job.metadata.name ?? "") \(FlinkJobStatus.Hold.releaseAnnotation)=\(token) --overwrite"
        let what: String
        switch reason {
        case .noRestorePoint: what = fallback.map { "start from \($0)" } ?? "start without state"
        case .clusterChanged: what = "treat the old job as gone and deploy on the new cluster"
        case .clusterMissing: what = "remove the finalizer without stopping anything"
        case .noSavepointDirectory: what = "cancel the job without a savepoint"
        case .runOutcomeUnknown: what = "run it again"
        }
        let full = "\(message) To \(what), run: \(release)"
        status.hold = .init(reason: reason, message: full, token: token, since: context.nowTime, fallback: fallback)
        status.phase = .held
        return Step(status, events: [JobEvent(.warning, reason: reason.rawValue, action: "Hold", note: full)])
    }

    /// A hold resolves by itself, or by the release annotation carrying its token.
    static func held(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step {
        var status = status
        guard let hold = status.hold else {
            status.phase = status.job?.id == nil ? .pending : .running
            return decide(context, status, savepoint: savepoint)
        }
        let released = context.releaseToken == hold.token
        switch hold.reason {
        case .noRestorePoint:
            if case .hold = RestorePointPolicy.choose(.lost, context, status), !released { return Step(status) }
            status.hold = nil
            if released {
                // Starting from the fallback (or empty) begins a new state lineage.
                status.pendingDeploy = .init(reason: .lostJob, restorePath: hold.fallback, since: context.nowTime)
                status.phase = .pending
                var step = pending(context, status)
                step.events.insert(JobEvent(.normal, .holdReleased, "Hold",
                    "released by \(FlinkJobStatus.Hold.releaseAnnotation): \(hold.fallback.map { "starting from \($0)" } ?? "starting without state")"), at: 0)
                return step
            }
            return redeploy(.lostJob, purpose: .lost, context, status)
        case .clusterChanged:
            if !identityChanged(context, status) {
                status.hold = nil
                status.phase = .running
                return running(context, status, savepoint: savepoint)
            }
            guard released else { return Step(status) }
            status.hold = nil
            // The old job is gone (a person said so): forget where it ran and redeploy from the newest state.
            status.job?.restURL = context.facts?.restURL
            status.job?.flinkClusterId = context.facts?.flinkClusterId
            status.job?.submission = .refused
            var step = redeploy(.lostJob, purpose: .lost, context, status)
            step.events.insert(JobEvent(.normal, .holdReleased, "Hold", "released: deploying on the cluster the FlinkSessionCluster points at now"), at: 0)
            return step
        case .clusterMissing, .noSavepointDirectory, .runOutcomeUnknown:
            // Deletion and batch holds; released by their lifecycles.
            return Step(status)
        }
    }

    /// Whether the cluster the FlinkSessionCluster points at now is not the one the current job was deployed to.
    static func identityChanged(_ context: PlanContext, _ status: FlinkJobStatus) -> Bool {
        guard let facts = context.facts, let job = status.job, job.id != nil else { return false }
        func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }
        if let deployed = job.restURL, let now = facts.restURL, trimmed(deployed) != trimmed(now) { return true }
        if let deployed = job.flinkClusterId, let now = facts.flinkClusterId, deployed != now { return true }
        return false
    }

    /// Holds a job whose FlinkSessionCluster was re-pointed at another Flink cluster while it ran there, instead of
    /// taking it for lost and deploying a second copy.
    static func identityHold(_ context: PlanContext, _ status: FlinkJobStatus) -> Step? {
        guard status.phase != .held, [.deploying, .running, .stopping].contains(status.phase ?? .pending),
            identityChanged(context, status), let job = status.job
        else { return nil }
        let message = "job \(job.id ?? "-") was deployed to \(job.restURL ?? "?") (Flink cluster \(job.flinkClusterId ?? "?")), "
            + "but FlinkSessionCluster \"\(context.spec.clusterRef.name)\" now points at \(context.facts?.restURL ?? "?") "
            + "(Flink cluster \(context.facts?.flinkClusterId ?? "?")); the operator does not deploy a second copy."
        return hold(.clusterChanged, message: message, fallback: nil, context, status)
    }
}
