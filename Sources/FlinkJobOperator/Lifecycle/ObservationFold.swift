import Foundation
import Kubernetes

/// Copies what was observed of the current Flink job into status: its state, tasks, start time, restarts,
/// parallelism and checkpoints, and since when it has run healthily. Observed facts only — no decision.
enum ObservationFold {
    static func fold(_ status: FlinkJobStatus, _ context: PlanContext) -> FlinkJobStatus {
        var status = status
        status.observedGeneration = context.job.metadata.generation
        if let name = context.job.metadata.name { status.selector = "flink.jobcontroller.io/flinkjob=\(name)" }
        guard let snapshot = context.observation.job, var job = status.job, job.id == snapshot.id else { return status }
        job.flinkState = snapshot.state.rawValue
        job.tasks = snapshot.tasks
        if let start = snapshot.startTime { job.startTime = KubeTime(start) }
        if let restarts = snapshot.restarts { job.restarts = restarts }
        if snapshot.isFullyRunning {
            job.healthySince = job.healthySince ?? context.nowTime
        } else {
            job.healthySince = nil
        }
        status.job = job
        if let parallelism = snapshot.parallelism { status.parallelism = parallelism }

        var checkpoints = status.checkpoints ?? .init()
        // The current job's newest completed checkpoint (ids only grow along a job's lineage).
        if let completed = snapshot.lastCompletedCheckpoint {
            if completed.id != checkpoints.lastCompleted?.id || completed.path != checkpoints.lastCompleted?.path {
                checkpoints.failedCountAtLastCompleted = snapshot.failedCheckpoints ?? checkpoints.failedCount
            }
            checkpoints.lastCompleted = completed
        }
        if let failed = snapshot.failedCheckpoints {
            checkpoints.failedCount = failed
            if checkpoints.failedCountAtLastCompleted == nil { checkpoints.failedCountAtLastCompleted = failed }
        }
        if checkpoints != FlinkJobStatus.CheckpointStatus() { status.checkpoints = checkpoints }
        return status
    }
}
