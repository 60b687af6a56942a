import Foundation

/// The planner's answer for one reconcile: the status to record, at most one action, events, and when to look again.
///
/// Actions that must be remembered across a crash (a submission's job id, a savepoint's trigger id) are already
/// part of `status`: the reconciler writes `status` first and acts only once the write landed.
public struct JobPlan: Sendable, Hashable {
    public var status: FlinkJobStatus
    public var action: JobAction
    public var events: [JobEvent]
    /// When to reconcile again even if nothing changes.
    public var requeueAfter: Duration

    public init(status: FlinkJobStatus, action: JobAction = .none, events: [JobEvent] = [], requeueAfter: Duration) {
        self.status = status
        self.action = action
        self.events = events
        self.requeueAfter = requeueAfter
    }
}

/// The one side effect a reconcile performs on Flink (or on the FlinkJob object).
public enum JobAction: Sendable, Hashable {
    /// Nothing to do but record what was observed.
    case none
    /// Fetch, verify (digest, signature) and upload the artifact of a spec, without touching any running job.
    case prepare(DeploySpec)
    /// Submit a job under a deterministic id (already written to status) from a prepared artifact.
    case deploy(Deployment)
    /// Take a savepoint of a running job; the trigger id is already in `status.savepoints.pending`.
    case triggerSavepoint(SavepointRequest)
    /// Stop the job with a savepoint (ends FINISHED); the trigger id is already in `status.savepoints.pending`.
    case stopWithSavepoint(SavepointRequest)
    /// Cancel the job (idempotent: cancelling a finished job is harmless).
    case cancel(jobID: String)
    /// Change the parallelism of a running job in place (adaptive scheduler); same job id.
    case rescale(jobID: String, parallelism: Int)
    /// Dispose of savepoints that fell out of the retained history (only the operator's own).
    case disposeSavepoints([String])
    /// Everything is stopped: let Kubernetes delete the object.
    case removeFinalizer
    /// Delete the FlinkJob object itself (`batch.ttlSecondsAfterFinished` elapsed).
    case deleteObject

    /// Whether `status` must be stored before the action runs (so a crash right after cannot repeat or lose it).
    public var needsStatusFirst: Bool {
        switch self {
        case .deploy, .triggerSavepoint, .stopWithSavepoint: true
        case .none, .prepare, .cancel, .rescale, .disposeSavepoints, .removeFinalizer, .deleteObject: false
        }
    }

    /// Whether the action changes a Flink job (submits, stops, cancels, rescales, snapshots or disposes of
    /// state): everything that calls Flink except preparing an artifact.
    public var changesFlinkJobs: Bool {
        if case .prepare = self { return false }
        return touchesFlink
    }

    /// Whether performing the action calls Flink.
    public var touchesFlink: Bool {
        switch self {
        case .none, .removeFinalizer, .deleteObject: false
        default: true
        }
    }

    /// A short name for logs and metrics.
    public var name: String {
        switch self {
        case .none: "none"
        case .prepare: "prepare"
        case .deploy: "deploy"
        case .triggerSavepoint: "savepoint"
        case .stopWithSavepoint: "stop-with-savepoint"
        case .cancel: "cancel"
        case .rescale: "rescale"
        case .disposeSavepoints: "dispose-savepoints"
        case .removeFinalizer: "remove-finalizer"
        case .deleteObject: "delete-object"
        }
    }
}

/// A submission to make.
public struct Deployment: Sendable, Hashable {
    /// Why the job is (re)deployed; shows in events.
    public enum Reason: String, Sendable, Hashable, Codable {
        case initial = "Initial"
        case upgrade = "Upgrade"
        case resume = "Resume"
        case recovery = "Recovery"
        case lostJob = "LostJob"
        case retry = "Retry"
        case rollback = "Rollback"
        case scheduledRun = "ScheduledRun"
    }

    public var jobID: String
    public var sequence: Int64
    public var spec: DeploySpec
    /// The savepoint or checkpoint to start from; `nil` starts empty.
    public var restorePath: String?
    public var allowNonRestoredState: Bool
    public var reason: Reason
    /// The FlinkJob's namespace/name, used as the Flink job name.
    public var jobName: String
    /// The artifact prepared for `spec` (`nil`: the executor prepares it first, as for batch runs).
    public var prepared: FlinkJobStatus.PreparedArtifact?

    public init(
        jobID: String, sequence: Int64, spec: DeploySpec, restorePath: String?, allowNonRestoredState: Bool,
        reason: Reason, jobName: String, prepared: FlinkJobStatus.PreparedArtifact? = nil
    ) {
        self.jobID = jobID
        self.sequence = sequence
        self.spec = spec
        self.restorePath = restorePath
        self.allowNonRestoredState = allowNonRestoredState
        self.reason = reason
        self.jobName = jobName
        self.prepared = prepared
    }
}

/// A savepoint (or stop-with-savepoint) to trigger.
public struct SavepointRequest: Sendable, Hashable {
    public var jobID: String
    public var triggerID: String
    public var reason: FlinkJobStatus.SavepointReason
    /// Target directory; `nil` lets the cluster's configured default apply.
    public var directory: String?
    public var formatType: FlinkJobSpec.Savepoints.FormatType

    public init(
        jobID: String, triggerID: String, reason: FlinkJobStatus.SavepointReason, directory: String?,
        formatType: FlinkJobSpec.Savepoints.FormatType
    ) {
        self.jobID = jobID
        self.triggerID = triggerID
        self.reason = reason
        self.directory = directory
        self.formatType = formatType
    }
}

/// An event the planner wants recorded on the FlinkJob.
public struct JobEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }

    public var type: Kind
    /// CamelCase reason (`SavepointCompleted`).
    public var reason: String
    /// CamelCase action the operator took or was taking (`Deploy`, `Savepoint`, `Validate`).
    public var action: String
    public var note: String

    public init(_ type: Kind, reason: String, action: String, note: String) {
        self.type = type
        self.reason = reason
        self.action = action
        self.note = note
    }

    public init(_ type: Kind, _ reason: Reason, _ action: String, _ note: String) {
        self.init(type, reason: reason.rawValue, action: action, note: note)
    }
}

/// What happened when the executor performed a `JobAction`.
public enum JobActionOutcome: Sendable, Hashable {
    /// The action had its effect (or, being idempotent, had already had it).
    case done
    /// The artifact is on the cluster, ready to run.
    case prepared(FlinkJobStatus.PreparedArtifact)
    /// The artifact could not be fetched, verified or uploaded (`reason` is the condition reason).
    case artifactFailed(reason: String, message: String)
    /// The job was submitted; `adopted` when Flink already knew the id (an earlier attempt got through).
    case submitted(adopted: Bool)
    /// Flink refused the submission for good (the program failed, a restore path was refused): a job failure.
    case submissionFailed(message: String)
    /// The submission's answer was lost or Flink failed transiently (5xx, timeout, unreachable): whether the job
    /// exists is unknown; the same id is submitted again. Not a job failure.
    case submissionInDoubt(message: String)
    /// The prepared jar is gone from the cluster (a JobManager restart wiped its upload directory); nothing was
    /// submitted.
    case jarMissing(message: String)
    /// Flink refused the savepoint trigger.
    case savepointTriggerFailed(message: String)
    /// The in-place rescale was refused (e.g. above max parallelism).
    case rescaleFailed(message: String)
    /// The cluster could not be reached while acting; nothing is known to have happened.
    case unreachable(message: String)
}
