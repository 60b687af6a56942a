import FlinkREST
import Foundation
import Kubernetes

/// Everything the planner decides from: the FlinkJob as stored, what was observed, validation, and the clock.
public struct PlannerInput: Sendable {
    public var job: FlinkJob
    public var observation: JobObservation
    /// Reasons the spec cannot be acted upon (beyond the CRD schema); empty when valid.
    public var validationErrors: [String]
    /// The cluster's refusals (namespace policy, quotas, artifact policy); empty when admitted.
    public var refusals: [Refusal]
    public var now: Date

    public init(
        job: FlinkJob, observation: JobObservation, validationErrors: [String] = [], refusals: [Refusal] = [], now: Date
    ) {
        self.job = job
        self.observation = observation
        self.validationErrors = validationErrors
        self.refusals = refusals
        self.now = now
    }
}

/// Decides the next step for a FlinkJob: a pure function of (spec, status, observation, refusals, clock), composed
/// of the lifecycle functions of `Lifecycle/` (`docs/lifecycle.md`):
///
/// 1. `StatusValidation` — the status read back, with whatever the operator could not have written removed;
/// 2. `ObservationFold` — what Flink reported, into status;
/// 3. `SavepointLifecycle.resolve` — the savepoint in flight;
/// 4. the lifecycle of the phase: `DeletionLifecycle`, `BatchLifecycle` or `StreamingLifecycle` (with a usable
///    cluster; an unreachable or missing one changes nothing but the conditions);
/// 5. a savepoint disposal when nothing else is to be done;
/// 6. `StatusProjection` — conditions, `state` and `message`, derived.
public struct JobPlanner: Sendable {
    public var settings: PlannerSettings

    public init(settings: PlannerSettings = .init()) {
        self.settings = settings
    }

    /// The plan for one reconcile.
    public func plan(_ input: PlannerInput) -> JobPlan {
        let (job, findings) = StatusValidation.validated(input.job)
        var input = input
        input.job = job
        input.refusals += Self.savepointDirectoryRefusals(job, input.observation)
        let previous = job.status ?? FlinkJobStatus()
        let context = PlanContext(input: input, settings: settings, previous: previous)

        var status = previous
        status.phase = context.previousPhase
        status = ObservationFold.fold(status, context)
        if let retry = status.retry, let hash = retry.specHash, hash != context.desiredHash { status.retry = nil }
        if context.previous.rollback != nil, !context.rollingBack { status.rollback = nil }
        var events = findings.map { JobEvent(.warning, .statusInvalid, "Validate", $0) }

        let usable = context.facts != nil
        let resolution = usable ? SavepointLifecycle.resolve(context, status) : .init(step: Step(status), completed: nil)
        status = resolution.step.status
        events += resolution.step.events

        var step: Step
        if context.deleting {
            step = DeletionLifecycle.decide(context, status, savepoint: resolution)
        } else if !usable {
            step = Step(status, requeue: context.observation.cluster == JobObservation.ClusterState.missing ? .steady : .unavailable)
        } else if context.spec.type == .batch {
            step = BatchLifecycle.decide(context, status)
        } else {
            step = StreamingLifecycle.decide(context, status, savepoint: resolution)
        }
        if case .none = step.action, usable, let disposal = SavepointLifecycle.disposal(step.status) {
            step.action = disposal
            step.requeue = step.requeue.sooner(.progress, context)
        }
        let (blocked, blockerEvents) = Self.blocker(step.status, context)
        let projected = StatusProjection.project(blocked, context)
        let requeue = resolution.completed != nil ? step.requeue.sooner(.now, context) : step.requeue
        return JobPlan(
            status: projected, action: step.action, events: events + blockerEvents + step.events,
            requeueAfter: requeue.delay(context))
    }

    /// Folds the outcome of `plan.action` into the plan's status and events (`OutcomeRecorder`).
    ///
    /// - Parameter input: what the plan was made from (the job as stored before the plan, the observation).
    public func record(_ outcome: JobActionOutcome, of plan: JobPlan, input: PlannerInput) -> JobPlan {
        let (job, _) = StatusValidation.validated(input.job)
        var input = input
        input.job = job
        let context = PlanContext(input: input, settings: settings, previous: job.status ?? FlinkJobStatus())
        let step = OutcomeRecorder.record(outcome, action: plan.action, context, plan.status)
        let projected = StatusProjection.project(step.status, context)
        let requeue = min(step.requeue.delay(context), plan.requeueAfter)
        return JobPlan(status: projected, action: plan.action, events: plan.events + step.events, requeueAfter: requeue)
    }

    /// `record(_:of:input:)` for a plan made at `now` against a reachable cluster (tests of outcomes).
    public func record(_ outcome: JobActionOutcome, of plan: JobPlan, job: FlinkJob, now: Date) -> JobPlan {
        record(outcome, of: plan, input: PlannerInput(job: job, observation: .init(cluster: .available(.init())), now: now))
    }

    /// The spec a pass deploys for `job`: the user's, or the last stable spec while a rollback is in force — what
    /// validation and admission must judge (a rollback spec passes the same checks as a new one).
    public func effectiveSpec(of job: FlinkJob) -> FlinkJobSpec {
        let (job, _) = StatusValidation.validated(job)
        let status = job.status ?? FlinkJobStatus()
        guard let rollback = status.rollback, let stableHash = status.lastStableSpecHash,
            let stable = DeploySpec.copy(status.lastStableSpec, matching: stableHash)
        else { return job.spec }
        let requested = DeploySpec(job.spec, referencedContentHash: stable.referencedContentHash)
        return rollback.failedSpecHash == requested.hash ? stable.applied(to: job.spec) : job.spec
    }

    /// Records what keeps the operator from acting, and a Warning event when that starts or changes.
    static func blocker(_ status: FlinkJobStatus, _ context: PlanContext) -> (FlinkJobStatus, [JobEvent]) {
        var status = status
        var blocker: FlinkJobStatus.Blocker?
        var action = "Validate"
        if context.deleting {
            blocker = nil
        } else if let refusal = StatusProjection.refusal(context) {
            blocker = .init(reason: refusal.reason, message: refusal.message)
        } else {
            switch context.observation.cluster {
            case .missing:
                blocker = .init(reason: Reason.clusterNotFound.rawValue,
                                message: "FlinkSessionCluster \"\(context.spec.clusterRef.name)\" does not exist")
            case .unavailable(let reason):
                action = "Observe"
                blocker = .init(reason: Reason.clusterUnavailable.rawValue,
                                message: "Flink cluster \"\(context.spec.clusterRef.name)\" is unavailable: \(reason)")
            case .available:
                blocker = nil
            }
        }
        let changed = blocker != nil && blocker != context.previous.blocker
        status.blocker = blocker
        guard changed, let blocker else { return (status, []) }
        return (status, [JobEvent(.warning, reason: blocker.reason, action: action, note: blocker.message)])
    }

    /// A streaming job whose `upgradeMode` or `deletePolicy` takes savepoints needs a savepoint directory: the
    /// spec's, the FlinkSessionCluster's `jobDefaults`, or Flink's own configuration.
    static func savepointDirectoryRefusals(_ job: FlinkJob, _ observation: JobObservation) -> [Refusal] {
        guard job.spec.type == .streaming, !job.metadata.isDeleting, job.spec.savepoints?.directory == nil,
            job.spec.upgradeMode == .savepoint, let facts = observation.facts, facts.defaultSavepointDirectory == nil
        else { return [] }
        return [Refusal(.savepointDirectoryUnknown,
            "upgradeMode Savepoint needs a savepoint directory: set spec.savepoints.directory (neither FlinkSessionCluster "
                + "\"\(job.spec.clusterRef.name)\" jobDefaults.savepointDirectory nor Flink's execution.checkpointing.savepoint-dir is set)")]
    }
}
