/// Every reason the operator puts into a condition or an event: CamelCase, stable, documented in
/// `docs/lifecycle.md` and `docs/api.md` (Argo CD health checks and alerts match on them).
public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
    // Deploying and running
    case pending = "Pending"
    case preparing = "Preparing"
    case prepared = "Prepared"
    case deploying = "Deploying"
    case running = "Running"
    case jobRunning = "JobRunning"
    case tasksPending = "TasksPending"
    case jobRestarting = "JobRestarting"
    case stable = "Stable"
    case healthy = "Healthy"
    case jobAdopted = "JobAdopted"
    case upgrading = "Upgrading"
    case upgradePending = "UpgradePending"
    case rescaling = "Rescaling"
    case rescaleFailed = "RescaleFailed"
    case superseded = "Superseded"
    case submissionInDoubt = "SubmissionInDoubt"

    // Savepoints
    case savepointTriggered = "SavepointTriggered"
    case savepointInProgress = "SavepointInProgress"
    case stoppingWithSavepoint = "StoppingWithSavepoint"
    case savepointCompleted = "SavepointCompleted"
    case savepointFailed = "SavepointFailed"
    case savepointDisposed = "SavepointDisposed"

    // Suspend, stop, delete
    case suspending = "Suspending"
    case suspended = "Suspended"
    case cancelling = "Cancelling"
    case deleting = "Deleting"
    case deleted = "Deleted"
    case ttlExpired = "TTLExpired"

    // Refusals (Ready=False, nothing is deployed)
    case invalidSpec = "InvalidSpec"
    case namespaceNotAllowed = "NamespaceNotAllowed"
    case quotaExceeded = "QuotaExceeded"
    case artifactNotAllowed = "ArtifactNotAllowed"
    case savepointDirectoryUnknown = "SavepointDirectoryUnknown"
    case clusterNotFound = "ClusterNotFound"

    // Faults that are not decisions
    case clusterUnavailable = "ClusterUnavailable"
    case flinkUnavailable = "FlinkUnavailable"
    case artifactUnavailable = "ArtifactUnavailable"
    case artifactVerificationFailed = "ArtifactVerificationFailed"
    case artifactUploadFailed = "ArtifactUploadFailed"
    case deployFailed = "DeployFailed"
    case retryPending = "RetryPending"

    // Failures and recovery
    case jobFailed = "JobFailed"
    case jobFinished = "JobFinished"
    case jobLost = "JobLost"
    case backoffLimitExceeded = "BackoffLimitExceeded"
    case failuresForgiven = "FailuresForgiven"
    case rolledBack = "RolledBack"
    case rollingBack = "RollingBack"
    case rollbackUnavailable = "RollbackUnavailable"

    // Holds (a person decides)
    case noRestorePoint = "NoRestorePoint"
    case clusterChanged = "ClusterChanged"
    case deletionBlocked = "DeletionBlocked"
    case holdReleased = "HoldReleased"
    case statusInvalid = "StatusInvalid"

    // Health
    case checkpointTooOld = "CheckpointTooOld"
    case checkpointsFailing = "CheckpointsFailing"
    case backpressured = "Backpressured"

    // Batch
    case runStarted = "RunStarted"
    case runStarting = "RunStarting"
    case runActive = "RunActive"
    case runSucceeded = "RunSucceeded"
    case runFailed = "RunFailed"
    case runCanceled = "RunCanceled"
    case runOutcomeUnknown = "RunOutcomeUnknown"
    case runSkipped = "RunSkipped"
    case missedSchedules = "MissedSchedules"
    case deadlineExceeded = "DeadlineExceeded"
    case scheduled = "Scheduled"
    case completed = "Completed"
    case maxRunsReached = "MaxRunsReached"
    case failed = "Failed"
}
