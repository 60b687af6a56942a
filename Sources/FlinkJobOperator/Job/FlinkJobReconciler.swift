import ControllerRuntime
import FlinkREST
import Foundation
import Kubernetes
import Logging
import Metrics

/// The FlinkJob controller's reconcile: observe → plan → act → record. It takes no decision of its own.
///
/// 1. **Validate status**: the status read back is checked against what the operator derives (`StatusValidation`)
///    before anything is observed from it.
/// 2. **Observe** Flink and the references (`JobObserver`); **judge** the spec the pass would deploy — the user's,
///    or the last stable one during a rollback — with the validator and the cluster's admission.
/// 3. **Plan** (`JobPlanner`, pure).
/// 4. **Record the intent** when the action must survive a crash (a submission's job id, a savepoint trigger): the
///    status is written first, and a conflict means the plan came from a stale object — nothing is done, and the
///    key is retried with backoff from the fresh object.
/// 5. **Act** through the executor, on the cluster the action names, only while this replica leads (fencing:
///    leadership is checked right before every side effect).
/// 6. **Record** the outcome (`JobPlanner.record`, pure) and write the status (only when it changed).
///
/// Deletion runs behind the `flink.jobcontroller.io/finalizer` finalizer: the plan says when it may go.
public struct FlinkJobReconciler: Reconciler {
    public typealias Object = FlinkJob

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
    let leadership: @Sendable () -> Bool
    let now: @Sendable () -> Date

    public init(
        api: any ObjectAPI<FlinkJob>, observer: JobObserver, executor: JobExecutor, planner: JobPlanner,
        validator: JobValidator, clusters: any FlinkClusterAccess, events: EventRecorder, jars: JarCollector?,
        metrics: JobMetrics = JobMetrics(), observed: ObservedJobValues? = nil,
        leadership: @escaping @Sendable () -> Bool = { true }, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
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
        self.leadership = leadership
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

    /// A stale intent retries with the key's backoff (with jitter); a server's `Retry-After` is honoured; any
    /// other failure retries with the key's backoff, at least a second apart. Pure.
    public func errorPolicy(_ job: FlinkJob, error: any Error, context: ReconcileContext) -> Action {
        if error is StaleIntent { return .requeue(after: .zero) }
        metrics.reconciliationErrors.increment()
        if let retryAfter = Self.retryAfter(in: error) { return .requeue(after: retryAfter) }
        return .requeue(after: .seconds(1))
    }

    /// The plan was made from a stale object (its intent write conflicted): nothing was done.
    struct StaleIntent: Error {}

    /// This replica does not lead (any more): nothing was done.
    struct NotLeading: Error, CustomStringConvertible {
        var description: String { "this replica is not the leader; no side effect was performed" }
    }

    /// The delay an API server asked for, anywhere in `error`'s chain.
    static func retryAfter(in error: any Error) -> Duration? {
        switch error {
        case let error as KubernetesError:
            if case .api(let apiError) = error { return apiError.retryAfter }
            return nil
        case ControllerRuntimeError.statusWrite(_, let underlying), ControllerRuntimeError.addFinalizer(_, _, let underlying),
            ControllerRuntimeError.removeFinalizer(_, _, let underlying):
            return retryAfter(in: underlying)
        default:
            return nil
        }
    }

    /// One pass; returns when to look again and whether deletion cleanup is complete.
    func pass(_ readJob: FlinkJob, context: ReconcileContext) async throws -> (action: Action, finished: Bool) {
        var logger = context.logger
        let (job, _) = StatusValidation.validated(readJob)
        if let id = job.status?.job?.id { logger[metadataKey: "flink.job_id"] = "\(id)" }

        let (observation, handle) = await observer.observe(job)
        if let key = job.objectKey { observed?.setBackpressure(observation.job?.maxBackpressureRatio, for: key) }
        var judged = job
        judged.spec = planner.effectiveSpec(of: job)
        let problems = validator.problems(judged)
        let refusals = problems.isEmpty && !job.metadata.isDeleting ? await clusters.admissionProblems(for: judged) : []
        // The planner gets the object as read: it validates the status itself and reports what it corrected.
        let input = PlannerInput(job: readJob, observation: observation, validationErrors: problems, refusals: refusals, now: now())
        var plan = planner.plan(input)
        logger.debug("Planned", metadata: ["plan.action": "\(plan.action.name)", "plan.phase": "\(plan.status.phase?.rawValue ?? "-")"])

        var stored = readJob
        if plan.action.needsStatusFirst {
            // Remember the intent (job id, trigger id) before acting, so a crash cannot repeat or lose the action.
            // A conflict means the plan came from a stale object: plan again from the fresh one, never act on it.
            guard leadership() else { throw NotLeading() }
            do {
                let written = try await statusWriter.write(readJob, status: plan.status, reapplyOnConflict: false)
                stored = written.object
                if case .unchanged = written, try await !isCurrent(readJob) { throw StaleIntent() }
            } catch ControllerRuntimeError.statusConflict {
                throw StaleIntent()
            }
        } else if plan.action.changesFlinkJobs, try await !isCurrent(readJob) {
            throw StaleIntent()
        }
        if plan.action.touchesFlink {
            guard leadership() else { throw NotLeading() }
            let started = ContinuousClock.now
            let result: ExecutionResult
            if let target = await target(of: plan.action, observed: handle) {
                result = await executor.perform(plan.action, job: stored, cluster: target)
            } else {
                result = ExecutionResult(.unreachable(message: "the cluster the action needs cannot be used now"))
            }
            plan = planner.record(result.outcome, of: plan, input: PlannerInput(
                job: readJob, observation: observation, validationErrors: problems, refusals: refusals, now: now()))
            if let artifact = result.artifact, case .submitted = result.outcome { plan.status.artifact = artifact }
            metrics.record(action: plan.action, outcome: result.outcome, jobType: job.spec.type, duration: started.duration(to: .now))
        }
        for event in plan.events {
            events.record(event.type == .warning ? .warning : .normal, reason: event.reason, action: event.action,
                          regarding: stored, note: event.note)
        }
        guard leadership() else { throw NotLeading() }
        // Never merged onto a status that changed meanwhile: a plan (and an outcome) only make sense against the
        // status they came from, and a merge can pair one status's phase with another's submission (seen in the
        // wild: a stale pass's "submitted" merged onto a fresh "not sent" ended as Pending + Accepted, and the next
        // pass deployed a second job). On a conflict nothing is written; the next pass, planned from the fresh
        // object, finds what was done in Flink (the job ids and trigger ids are deterministic).
        let written: StatusWriteResult<FlinkJob>
        do {
            written = try await statusWriter.write(stored, status: plan.status, reapplyOnConflict: false)
        } catch ControllerRuntimeError.statusConflict {
            logger.debug("Status changed meanwhile; planning again from the fresh object", metadata: ["plan.action": "\(plan.action.name)"])
            // A short pause lets the cache catch up with the write that won, rather than spinning on it.
            return (.requeue(after: .milliseconds(100)), false)
        }
        if case .written = written { logger.debug("Status written", metadata: ["status.phase": "\(plan.status.phase?.rawValue ?? "-")"]) }

        if case .deleteObject = plan.action, let key = job.objectKey {
            do {
                try await api.delete(key)
            } catch where BackendFailure.isNotFound(error) {}
        }
        // A jar this job no longer references (deleted, upgraded to another artifact) may be unused now.
        let released = job.status?.artifact?.flinkJarId != nil
            && (plan.action == .removeFinalizer || plan.status.artifact?.flinkJarId != job.status?.artifact?.flinkJarId)
        if released, let jars {
            await jars.collectSoon(cluster: job.status?.job?.cluster ?? job.spec.clusterRef.name)
        }
        return (.requeue(after: plan.requeueAfter), plan.action == .removeFinalizer)
    }

    /// Whether `job` (as read, e.g. from a cache) is still the stored object. Checked before an action on a Flink
    /// job whose plan changed nothing in status — the repeat of an in-doubt submission, a cancel — because then no
    /// write's resourceVersion precondition proves the plan was made from the current object. Found by the fault
    /// simulation (seed 286): a pass from a stale cache resubmitted a job id a JobManager restart had lost and ran
    /// it next to its successor.
    func isCurrent(_ job: FlinkJob) async throws -> Bool {
        guard let key = job.objectKey, let version = job.metadata.resourceVersion else { return false }
        do {
            return try await api.get(key).metadata.resourceVersion == version
        } catch where BackendFailure.isNotFound(error) {
            return false
        }
    }

    /// The cluster `action` must run on: the one a deploy or preparation names, else the job's observed one.
    func target(of action: JobAction, observed: ClusterHandle?) async -> ClusterHandle? {
        let named: String?
        switch action {
        case .deploy(let deployment): named = deployment.spec.clusterRef
        case .prepare(let spec): named = spec.clusterRef
        default: named = nil
        }
        guard let named, named != observed?.name else { return observed }
        if case .available(let handle) = await clusters.lookup(named) { return handle }
        return nil
    }
}
