import FlinkREST
import Foundation
import Kubernetes

/// Deletion behind the finalizer: stop the job per `deletePolicy`, then let the object go — and never let it go
/// while a Flink job of it may still run.
///
/// | situation | what happens |
/// |---|---|
/// | nothing was ever submitted, or the job is known to have ended | remove the finalizer |
/// | a submission whose answer was lost, within `submissionDoubtWindow` | wait (it may still turn up) |
/// | the job is live | `Savepoint`: stop with a savepoint (retried with backoff, never a cancel); `Cancel`: cancel |
/// | the FlinkSessionCluster does not exist and a job may run | hold (`ClusterMissing`): Degraded and a Warning; a person releases it |
/// | `Savepoint` but no savepoint directory is known | hold (`NoSavepointDirectory`); releasing cancels |
/// | the cluster is unreachable | wait: a fault is not a decision |
/// | batch | cancel every active run (one per pass), then remove the finalizer |
enum DeletionLifecycle {
    static func decide(_ context: PlanContext, _ status: FlinkJobStatus, savepoint: SavepointLifecycle.Resolution) -> Step {
        var status = status
        let released = status.hold.map { context.releaseToken == $0.token } ?? false
        if let hold = status.hold, released, hold.reason == .clusterMissing {
            return finish(status, note: "released by \(FlinkJobStatus.Hold.releaseAnnotation): removed without stopping anything")
        }
        if context.spec.type == .batch { return batch(context, status) }

        guard let jobID = status.job?.id else { return finish(status, note: "no job was ever submitted") }
        if status.job?.submission == .refused || status.job?.submission == .notSent, context.observation.job == nil {
            return finish(status, note: "no job of this FlinkJob runs")
        }
        switch context.observation.cluster {
        case .missing:
            if status.hold?.reason == .clusterMissing { return Step(status) }
            let message = "FlinkSessionCluster \"\(status.job?.cluster ?? context.spec.clusterRef.name)\" does not exist, so job "
                + "\(jobID) cannot be stopped before the FlinkJob goes; it may still run in Flink."
            return StreamingLifecycle.hold(.clusterMissing, message: message, fallback: nil, context, status)
        case .unavailable:
            return Step(status, requeue: .unavailable)
        case .available:
            if status.hold?.reason == .clusterMissing { status.hold = nil }
        }
        let snapshot = context.observation.job.flatMap { $0.id == jobID ? $0 : nil }
        let live = snapshot.map { !$0.state.isGloballyTerminal } ?? false

        if let stop = status.stop {
            if stop.purpose != .delete, savepoint.inProgress { return Step(status, requeue: .progress) }
            if stop.purpose == .delete {
                return StreamingLifecycle.stopping(context, status, savepoint: savepoint)
            }
            status.stop = nil
        }
        if savepoint.inProgress { return Step(status, requeue: .progress) }
        guard let snapshot, live else {
            if status.job?.submission == nil, snapshot == nil,
                let submitted = status.job?.submitTime?.date,
                context.now < submitted.addingTimeInterval(context.settings.submissionDoubtWindow.secondsDouble)
            {
                // The answer to the last submission was lost: wait until it cannot turn up any more.
                return Step(status, requeue: .at(submitted.addingTimeInterval(context.settings.submissionDoubtWindow.secondsDouble)))
            }
            return finish(status, note: snapshot == nil ? "Flink does not know job \(jobID)" : "the Flink job is stopped")
        }
        if context.spec.deletePolicy == .savepoint, context.spec.upgradeMode != .stateless, context.savepointDirectory == nil {
            if let hold = status.hold, hold.reason == .noSavepointDirectory {
                guard released else { return Step(status) }
                status.hold = nil
                return StreamingLifecycle.cancelStop(
                    .init(purpose: .delete, mode: .cancel, jobId: jobID, restore: .empty, since: context.nowTime), context, status)
            }
            let message = "deletePolicy is Savepoint, but no savepoint directory is known (spec.savepoints.directory, the "
                + "FlinkSessionCluster's jobDefaults or Flink's execution.checkpointing.savepoint-dir), so job \(jobID) cannot "
                + "be stopped with a savepoint."
            return StreamingLifecycle.hold(.noSavepointDirectory, message: message, fallback: nil, context, status)
        }
        return StreamingLifecycle.beginStop(.delete, snapshot, context, status)
    }

    static func finish(_ status: FlinkJobStatus, note: String) -> Step {
        var status = status
        status.hold = nil
        return Step(status, action: .removeFinalizer, events: [JobEvent(.normal, .deleted, "Delete", note)])
    }

    /// Batch: cancel what still runs, one run per pass; a run is dropped only once Flink shows it ended.
    static func batch(_ context: PlanContext, _ status: FlinkJobStatus) -> Step {
        var status = status
        switch context.observation.cluster {
        case .available: break
        case .unavailable: return Step(status, requeue: .unavailable)
        case .missing:
            guard status.runs?.active?.isEmpty == false else { return finish(status, note: "no batch run is active") }
            if status.hold?.reason == .clusterMissing { return Step(status) }
            return StreamingLifecycle.hold(
                .clusterMissing,
                message: "FlinkSessionCluster \"\(context.spec.clusterRef.name)\" does not exist, so the active batch runs cannot be cancelled.",
                fallback: nil, context, status)
        }
        var active = status.runs?.active ?? []
        active.removeAll { run in
            guard let snapshot = context.observation.runs[run.jobId] else { return run.flinkState != nil || run.cancelling != nil }
            return snapshot.state.isGloballyTerminal
        }
        status.runs?.active = active.isEmpty ? nil : active
        guard let running = active.first else { return finish(status, note: "no batch run is active") }
        if let index = status.runs?.active?.firstIndex(where: { $0.jobId == running.jobId }) {
            status.runs?.active?[index].cancelling = .canceled
            status.runs?.active?[index].cancelMessage = "the FlinkJob is being deleted"
        }
        return Step(status, action: .cancel(jobID: running.jobId),
                    events: [JobEvent(.normal, .cancelling, "Delete", "cancelling run job \(running.jobId) before deletion")],
                    requeue: .progress)
    }
}
