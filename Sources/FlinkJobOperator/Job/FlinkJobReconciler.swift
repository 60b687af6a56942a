import ControllerRuntime
import FlinkREST
import Foundation
import Kubernetes
import Logging
import Metrics

/// The FlinkJob controller's reconcile: observe → validate → plan → act → record.
///
/// A thin orchestrator: the observer reads Flink, the validator and the cluster registry judge the spec, the pure
/// planner decides, the executor performs at most one action, and the status writer records the result through
/// the status subresource (only when it changed). Where an action must be remembered across a crash (a submission's
/// job id, a savepoint trigger), the planned status is written *before* the action and the action runs only once
/// that write landed. Deletion runs behind the `flink.jobcontroller.io/finalizer` finalizer: the planner stops
/// the job per `deletePolicy` and says when the finalizer may go.
public struct FlinkJobReconciler: Reconciler {
    public typealias Object = FlinkJob

    /// Test-only fault injection (see `FaultInjection`).
    public var faults: FaultInjection

    /// How soon a reconcile whose plan came from a stale object (its intent write conflicted) runs again; the
    /// watch usually delivers the newer object within milliseconds.
    static let staleRetry: Duration = .milliseconds(50)

    let api: any ObjectAPI<FlinkJob>
    let statusWriter: StatusWriter<FlinkJob>
    let observer: JobObserver
    let executor: JobExecutor
    let planner: JobPlanner
    let validator: JobValidator
    let clusters: any FlinkClusterAccess
    let events: EventRecorder
    let jars: JarCollector?
    let metrics: JobMetrics
    let observed: ObservedJobValues?
    let now: @Sendable () -> Date

    public init(
        api: any ObjectAPI<FlinkJob>, observer: JobObserver, executor: JobExecutor, planner: JobPlanner,
        validator: JobValidator, clusters: any FlinkClusterAccess, events: EventRecorder, jars: JarCollector?,
        metrics: JobMetrics = JobMetrics(), observed: ObservedJobValues? = nil, faults: FaultInjection = .none,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.api = api
        self.statusWriter = StatusWriter(api: api, logger: logger)
        self.observer = observer
        self.executor = executor
        self.planner = planner
        self.validator = validator
        self.clusters = clusters
        self.events = events
        self.jars = jars
        self.metrics = metrics
        self.observed = observed
        self.faults = faults
        self.now = now
    }

    public func reconcile(_ job: FlinkJob, context: ReconcileContext) async throws -> Action {
        try await Finalizer.run(
            api: api, finalizer: FlinkJob.finalizer, object: job,
            apply: { job in try await pass(job, context: context).action },
            cleanup: { job in
                let (action, finished) = try await pass(job, context: context)
                return finished ? .finished(.awaitChange) : .pending(action)
            })
    }

    /// Transient failures (API server or Flink unreachable) retry with the key's backoff; a status write that keeps
    /// conflicting retries soon.
    public func errorPolicy(_ job: FlinkJob, error: any Error, context: ReconcileContext) -> Action {
        metrics.reconciliationErrors.increment()
        return .requeue(after: .seconds(1))
    }

    /// One pass; returns when to look again and whether deletion cleanup is complete.
    func pass(_ job: FlinkJob, context: ReconcileContext) async throws -> (action: Action, finished: Bool) {
        var logger = context.logger
        if let id = job.status?.job?.id { logger[metadataKey: "flink.job_id"] = "\(id)" }

        let (observation, handle) = await observer.observe(job)
        if let key = job.objectKey { observed?.setBackpressure(observation.job?.maxBackpressureRatio, for: key) }
        var problems = validator.problems(job)
        if problems.isEmpty, !job.metadata.isDeleting {
            problems += await clusters.admissionProblems(for: job)
        }
        var plan = planner.plan(PlannerInput(job: job, observation: observation, validationErrors: problems, now: now()))
        logger.debug("Planned", metadata: ["plan.action": "\(plan.action.name)", "plan.state": "\(plan.status.state?.rawValue ?? "-")"])

        var stored = job
        if plan.action.needsStatusFirst {
            // Remember the intent (job id, trigger id) before acting, so a crash cannot repeat or lose the action.
            // A conflict means the plan came from a stale object: plan again from the fresh one, never act on it.
            do {
                stored = try await statusWriter.write(job, status: plan.status, reapplyOnConflict: false).object
            } catch ControllerRuntimeError.statusConflict {
                return (.requeue(after: Self.staleRetry), false)
            }
        }
        let started = ContinuousClock.now
        var target = handle
        if case .deploy(let deployment) = plan.action, let current = handle, deployment.spec.clusterRef != current.name {
            // A changed clusterRef: the old job was stopped on the old cluster; the new one starts on the new.
            if case .available(let next) = await clusters.lookup(deployment.spec.clusterRef) { target = next } else { target = nil }
        }
        if let handle = target, plan.action.touchesFlink {
            let result = await executor.perform(plan.action, job: stored, cluster: handle)
            if case .deploy = plan.action, faults.exitAfterSubmit {
                logger.critical("Fault injection: exiting right after the submission, before recording it")
                exit(86)
            }
            plan = planner.record(result.outcome, of: plan, job: stored, now: now())
            if let artifact = result.artifact { plan.status.artifact = artifact }
            metrics.record(action: plan.action, outcome: result.outcome, jobType: job.spec.type, duration: started.duration(to: .now))
        }
        for event in plan.events {
            events.record(event.type == .warning ? .warning : .normal, reason: event.reason, action: event.action,
                          regarding: stored, note: event.note)
        }
        let written = try await statusWriter.write(stored, status: plan.status)
        if case .written = written { logger.debug("Status written", metadata: ["status.state": "\(plan.status.state?.rawValue ?? "-")"]) }

        // A jar this job no longer references (deleted, upgraded to another artifact, batch TTL expired) may be
        // unused now.
        let released = job.status?.artifact?.flinkJarId != nil
            && (plan.action == .removeFinalizer || plan.status.artifact?.flinkJarId != job.status?.artifact?.flinkJarId)
        if released, let jars {
            await jars.collectSoon(cluster: job.status?.job?.cluster ?? job.spec.clusterRef.name)
        }
        return (.requeue(after: plan.requeueAfter), plan.action == .removeFinalizer)
    }
}

/// Test-only faults the reconciler can be told to inject (set by the executable from environment variables that
/// the end-to-end tests use; never set in production).
public struct FaultInjection: Sendable {
    /// Exit the process right after a submission returned and before its outcome is written to status.
    public var exitAfterSubmit: Bool

    public static let none = FaultInjection(exitAfterSubmit: false)

    public init(exitAfterSubmit: Bool) {
        self.exitAfterSubmit = exitAfterSubmit
    }
}

extension JobAction {
    /// Whether performing the action calls Flink.
    var touchesFlink: Bool {
        switch self {
        case .none, .removeFinalizer: false
        default: true
        }
    }

    /// A short name for logs and metrics.
    var name: String {
        switch self {
        case .none: "none"
        case .deploy: "deploy"
        case .triggerSavepoint: "savepoint"
        case .stopWithSavepoint: "stop-with-savepoint"
        case .cancel: "cancel"
        case .rescale: "rescale"
        case .disposeSavepoints: "dispose-savepoints"
        case .removeFinalizer: "remove-finalizer"
        case .prepare: "prepare"
        case .deleteObject: "delete-object"
        }
    }
}
