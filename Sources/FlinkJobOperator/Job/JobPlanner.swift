import FlinkREST
import Foundation
import JSONCore
import Kubernetes

/// Everything the planner decides from: the FlinkJob as stored, what was observed, validation, and the clock.
public struct PlannerInput: Sendable {
    public var job: FlinkJob
    public var observation: JobObservation
    /// Reasons the spec cannot be acted upon (beyond the CRD schema); empty when valid.
    public var validationErrors: [String]
    public var now: Date

    public var refusals: [Refusal] = []
    public struct Refusal: Sendable {
        public enum Kind: Sendable { case quotaExceeded, namespaceNotAllowed }
        public var kind: Kind
        public var message: String
        public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    }
    public init(job: FlinkJob, observation: JobObservation, validationErrors: [String] = [], refusals: [Refusal] = [], now: Date) {
        self.job = job
        self.observation = observation
        self.validationErrors = validationErrors
        self.now = now
    }
}

/// Decides the next step for a FlinkJob: a pure function of (spec, status, observation, now).
///
/// The decision table, in order (the first row that applies wins):
/// 1. Record what was observed (Flink state, tasks, checkpoints) into status.
/// 2. A savepoint recorded as pending is resolved first: still running → wait; completed → recorded in history
///    (pruned, the pruned ones disposed); failed → `Degraded`, retried later with backoff, never replaced by a
///    stateless action.
/// 3. Deletion: stop per `deletePolicy` (stop-with-savepoint or cancel), then remove the finalizer. A job that
///    never started, or whose cluster no longer exists, needs nothing.
/// 4. Cluster missing or unavailable: conditions say so; nothing is done to the job (a fault is not a decision).
/// 5. Invalid spec: `Ready=False, reason=InvalidSpec`, a Warning event, and no action on a running job.
/// 6. Batch jobs go to the batch rules (`BatchPlanner`).
/// 7. Streaming: deploy when nothing is deployed; redeploy a job that was lost; upgrade (or rescale in place)
///    when the deploy-relevant spec changed; manual and periodic savepoints; suspend and resume; recovery of a
///    failed job per `recovery`; rollback when an upgrade does not become ready in time.
public struct JobPlanner: Sendable {
    public var settings: PlannerSettings

    public init(settings: PlannerSettings = .init()) {
        self.settings = settings
    }

    /// The plan for one reconcile.
    public func plan(_ input: PlannerInput) -> JobPlan {
        var builder = PlanBuilder(input: input, settings: settings)
        builder.decide()
        return builder.result
    }

    /// Folds the outcome of `plan.action` into the plan's status and events.
    public func record(_ outcome: JobActionOutcome, of plan: JobPlan, job: FlinkJob, now: Date) -> JobPlan {
        var builder = PlanBuilder(
            input: PlannerInput(job: job, observation: .init(cluster: .missing), now: now), settings: settings)
        builder.status = plan.status
        builder.action = plan.action
        builder.requeue = plan.requeueAfter
        builder.record(outcome)
        var result = builder.result
        result.events = plan.events + result.events
        return result
    }
}

/// Condition types the operator maintains.
public enum ConditionType {
    public static let ready = "Ready"
    public static let progressing = "Progressing"
    public static let degraded = "Degraded"
    public static let succeeded = "Succeeded"
}

/// The mutable working state of one planning pass.
struct PlanBuilder {
    let job: FlinkJob
    let spec: FlinkJobSpec
    let observation: JobObservation
    let validationErrors: [String]
    let now: Date
    let settings: PlannerSettings
    let previous: FlinkJobStatus

    var status: FlinkJobStatus
    var events: [JobEvent] = []
    var action: JobAction = .none
    var requeue: Duration

    init(input: PlannerInput, settings: PlannerSettings) {
        job = input.job
        spec = input.job.spec
        observation = input.observation
        validationErrors = input.validationErrors
        now = input.now
        self.settings = settings
        previous = input.job.status ?? FlinkJobStatus()
        status = previous
        requeue = settings.steadyRequeue
    }

    var result: JobPlan {
        JobPlan(status: status, action: action, events: events, requeueAfter: requeue)
    }

    var nowTime: KubeTime { KubeTime(now) }
    var jobName: String { "\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")" }
    var uid: String { job.metadata.uid ?? job.metadata.name ?? "" }

    // MARK: - Decision

    mutating func decide() {
        status.observedGeneration = job.metadata.generation
        if let name = job.metadata.name { status.selector = "flink.jobcontroller.io/flinkjob=\(name)" }
        recordObservation()

        if resolvePendingSavepoint() { return }
        if job.metadata.isDeleting {
            planDeletion()
            return
        }
        if !clusterIsUsable() { return }
        if !validationErrors.isEmpty {
            planInvalidSpec()
            return
        }
        if spec.type == .batch {
            var batch = BatchPlanner(builder: self)
            batch.decide()
            self = batch.builder
            return
        }
        planStreaming()
    }

    /// Copies the observed Flink job into status.
    mutating func recordObservation() {
        guard let snapshot = observation.job, status.job?.id == snapshot.id else { return }
        var recorded = status.job ?? FlinkJobStatus.Job(id: snapshot.id)
        recorded.flinkState = snapshot.state.rawValue
        recorded.tasks = snapshot.tasks
        if let start = snapshot.startTime { recorded.startTime = KubeTime(start) }
        if let restarts = snapshot.restarts { recorded.restarts = restarts }
        status.job = recorded
        if let parallelism = snapshot.parallelism { status.parallelism = parallelism }
        var checkpoints = status.checkpoints ?? .init()
        if let completed = snapshot.lastCompletedCheckpoint { checkpoints.lastCompleted = completed }
        if let failed = snapshot.failedCheckpoints { checkpoints.failedCount = failed }
        if checkpoints != FlinkJobStatus.CheckpointStatus() { status.checkpoints = checkpoints }
    }

    // MARK: Savepoints in flight

    /// Resolves `status.savepoints.pending`; returns true when this pass is done (waiting or just recorded).
    mutating func resolvePendingSavepoint() -> Bool {
        guard let pending = status.savepoints?.pending else { return false }
        switch observation.savepoint {
        case nil:
            return false
        case .inProgress:
            let age = now.timeIntervalSince(pending.startedAt.date)
            if age > settings.savepointTimeout.secondsDouble {
                failSavepoint(pending, cause: "still in progress after \(Int(age)) s")
                return true
            }
            setCondition(ConditionType.progressing, .true, "SavepointInProgress",
                         "\(pending.reason.rawValue) savepoint \(pending.triggerId) in progress")
            requeue = settings.progressRequeue
            status.state = summaryWhileSavepointing(pending.reason)
            return true
        case .completed(let location):
            completeSavepoint(pending, location: location)
            return true
        case .failed(let cause):
            failSavepoint(pending, cause: cause)
            return true
        }
    }

    func summaryWhileSavepointing(_ reason: FlinkJobStatus.SavepointReason) -> FlinkJobStatus.SummaryState {
        switch reason {
        case .upgrade: .upgrading
        case .suspend: .suspending
        case .delete: .deleting
        case .periodic, .manual: status.state ?? .running
        }
    }

    mutating func completeSavepoint(_ pending: FlinkJobStatus.SavepointStatus.PendingSavepoint, location: String) {
        var savepoints = status.savepoints ?? .init()
        let record = FlinkJobStatus.SavepointRecord(location: location, time: nowTime, reason: pending.reason)
        savepoints.pending = nil
        savepoints.failedAttempts = nil
        savepoints.lastFailureTime = nil
        savepoints.last = record
        var history = [record] + (savepoints.history ?? []).filter { $0.location != location }
        let limit = max(1, spec.savepoints?.historyLimit ?? 5)
        let maxAge = spec.savepoints?.maxAge.flatMap(GoDuration.parse)
        var disposed: [String] = []
        history = history.enumerated().compactMap { index, entry in
            let tooOld = maxAge.map { now.timeIntervalSince(entry.time.date) > $0.secondsDouble } ?? false
            if index == 0 || (index < limit && !tooOld) { return entry }
            disposed.append(entry.location)
            return nil
        }
        savepoints.history = history
        status.savepoints = savepoints
        setCondition(ConditionType.degraded, .false, "SavepointCompleted", "")
        emit(.normal, "SavepointCompleted", "Savepoint", "\(pending.reason.rawValue) savepoint completed at \(location)")
        if !disposed.isEmpty { action = .disposeSavepoints(disposed) }
        // Look again at once: a stop-with-savepoint has ended the job, and the next step depends on that.
        requeue = .zero
    }

    mutating func failSavepoint(_ pending: FlinkJobStatus.SavepointStatus.PendingSavepoint, cause: String) {
        var savepoints = status.savepoints ?? .init()
        savepoints.pending = nil
        let attempts = (savepoints.failedAttempts ?? 0) + 1
        savepoints.failedAttempts = attempts
        savepoints.lastFailureTime = nowTime
        status.savepoints = savepoints
        let retry = settings.retryDelay(attempt: attempts)
        let what = pending.reason == .manual || pending.reason == .periodic
            ? "" : "; the job keeps running and the \(pending.reason.rawValue.lowercased()) is retried in \(retry)"
        setCondition(ConditionType.degraded, .true, "SavepointFailed",
                     "\(pending.reason.rawValue) savepoint failed: \(cause)\(what)")
        emit(.warning, "SavepointFailed", "Savepoint", "\(pending.reason.rawValue) savepoint failed: \(cause)")
        requeue = pending.reason == .manual || pending.reason == .periodic ? settings.progressRequeue : retry
    }

    /// Whether a new savepoint may be attempted now, given earlier failures.
    func savepointRetryAllowed() -> Bool {
        guard let attempts = status.savepoints?.failedAttempts, attempts > 0,
            let last = status.savepoints?.lastFailureTime
        else { return true }
        return now.timeIntervalSince(last.date) >= settings.retryDelay(attempt: attempts).secondsDouble
    }

    /// Remaining wait before a savepoint may be retried.
    func savepointRetryWait() -> Duration {
        guard let attempts = status.savepoints?.failedAttempts, let last = status.savepoints?.lastFailureTime else {
            return settings.progressRequeue
        }
        let remaining = settings.retryDelay(attempt: attempts).secondsDouble - now.timeIntervalSince(last.date)
        return .milliseconds(Int64(max(0.5, remaining) * 1000))
    }

    /// Writes the pending trigger into status and plans the trigger (or stop) itself.
    mutating func startSavepoint(jobID: String, reason: FlinkJobStatus.SavepointReason, stop: Bool) {
        let startedAt = nowTime
        let triggerID = DeploymentIdentity.triggerID(
            jobID: jobID, reason: reason, startedAtSeconds: startedAt.secondsSince1970)
        var savepoints = status.savepoints ?? .init()
        savepoints.pending = .init(triggerId: triggerID, reason: reason, startedAt: startedAt)
        if reason == .manual { savepoints.lastNonce = spec.savepointNonce }
        status.savepoints = savepoints
        let request = SavepointRequest(
            jobID: jobID, triggerID: triggerID, reason: reason, directory: savepointDirectory,
            formatType: spec.savepoints?.formatType ?? .canonical)
        action = stop ? .stopWithSavepoint(request) : .triggerSavepoint(request)
        setCondition(ConditionType.progressing, .true, stop ? "StoppingWithSavepoint" : "SavepointInProgress",
                     "\(reason.rawValue) savepoint triggered")
        emit(.normal, stop ? "StoppingWithSavepoint" : "SavepointTriggered", "Savepoint",
             "\(reason.rawValue) savepoint of job \(jobID) triggered")
        requeue = settings.progressRequeue
    }

    var savepointDirectory: String? {
        if let directory = spec.savepoints?.directory { return directory }
        if case .available(let facts) = observation.cluster { return facts.defaultSavepointDirectory }
        return nil
    }

    // MARK: Deletion

    mutating func planDeletion() {
        status.state = .deleting
        let snapshot = observation.job
        switch observation.cluster {
        case .missing:
            finishDeletion(note: "cluster \(spec.clusterRef.name) does not exist; nothing to stop")
            return
        case .unavailable(let reason):
            guard status.job?.id != nil else {
                finishDeletion(note: "no job was ever submitted")
                return
            }
            setCondition(ConditionType.ready, .unknown, "ClusterUnavailable", reason)
            setCondition(ConditionType.degraded, .true, "ClusterUnavailable",
                         "waiting for cluster \(spec.clusterRef.name) to stop the job before deletion: \(reason)")
            requeue = settings.unavailableRequeue
            return
        case .available:
            break
        }
        if spec.type == .batch {
            // Batch runs have no state worth a savepoint: cancel whatever still runs, one run per pass.
            if let running = observation.runs.values.first(where: { !$0.state.isGloballyTerminal }) {
                action = .cancel(jobID: running.id)
                emit(.normal, "Cancelling", "Delete", "cancelling run job \(running.id) before deletion")
                requeue = settings.progressRequeue
            } else {
                finishDeletion(note: "no batch run is active")
            }
            return
        }
        guard let snapshot, !snapshot.state.isGloballyTerminal else {
            finishDeletion(note: status.job?.id == nil ? "no job was ever submitted" : "the Flink job is stopped")
            return
        }
        setCondition(ConditionType.ready, .false, "Deleting", "stopping the Flink job before deletion")
        switch spec.deletePolicy {
        case .cancel:
            action = .cancel(jobID: snapshot.id)
            emit(.normal, "Cancelling", "Delete", "cancelling job \(snapshot.id) (deletePolicy Cancel)")
            requeue = settings.progressRequeue
        case .savepoint:
            guard savepointRetryAllowed() else {
                requeue = savepointRetryWait()
                return
            }
            startSavepoint(jobID: snapshot.id, reason: .delete, stop: true)
        }
    }

    mutating func finishDeletion(note: String) {
        action = .removeFinalizer
        emit(.normal, "Deleted", "Delete", note)
    }

    // MARK: Cluster

    /// Sets conditions for a missing or unavailable cluster; returns whether planning may go on.
    mutating func clusterIsUsable() -> Bool {
        switch observation.cluster {
        case .available:
            return true
        case .missing:
            let message = "FlinkSessionCluster \"\(spec.clusterRef.name)\" does not exist"
            setCondition(ConditionType.ready, .false, "ClusterNotFound", message)
            setCondition(ConditionType.progressing, .false, "ClusterNotFound", message)
            emitOnTransition(.warning, "ClusterNotFound", "Validate", message)
            status.state = status.job?.id == nil ? .pending : status.state
            status.message = message
            requeue = settings.steadyRequeue
            return false
        case .unavailable(let reason):
            let message = "Flink cluster \"\(spec.clusterRef.name)\" is unavailable: \(reason)"
            setCondition(ConditionType.ready, .unknown, "ClusterUnavailable", message)
            setCondition(ConditionType.degraded, .true, "ClusterUnavailable", message)
            emitOnTransition(.warning, "ClusterUnavailable", "Observe", message)
            status.message = message
            requeue = settings.unavailableRequeue
            return false
        }
    }

    // MARK: Invalid spec

    mutating func planInvalidSpec() {
        let message = validationErrors.joined(separator: "; ")
        setCondition(ConditionType.ready, .false, "InvalidSpec", message)
        setCondition(ConditionType.progressing, .false, "InvalidSpec", message)
        if previous.conditions?.first(where: { $0.type == ConditionType.ready })?.message != message {
            emit(.warning, "InvalidSpec", "Validate", message)
        }
        if status.job?.id == nil { status.state = .pending }
        status.message = message
        requeue = settings.steadyRequeue
    }

    // MARK: Streaming

    mutating func planStreaming() {
        let desired = effectiveDeploySpec()
        guard let jobID = status.job?.id else {
            deploy(desired, reason: .initial, restorePath: spec.initialSavepointPath)
            return
        }
        guard spec.state == .running else {
            planSuspend(jobID: jobID)
            return
        }
        guard let snapshot = observation.job else {
            planMissingJob(jobID: jobID, desired: desired)
            return
        }
        if !snapshot.state.isGloballyTerminal {
            planActive(snapshot, desired: desired)
        } else {
            planTerminal(snapshot, desired: desired)
        }
    }

    /// The spec to run: the user's, unless a rollback to the last stable spec is in force.
    mutating func effectiveDeploySpec() -> DeploySpec {
        let requested = DeploySpec(spec)
        guard let rollback = status.rollback else { return requested }
        if rollback.failedSpecHash == requested.hash, let stable = status.lastStableSpec,
            let stableSpec = try? stable.decode(DeploySpec.self)
        {
            return stableSpec
        }
        status.rollback = nil
        return requested
    }

    var appliedSpec: DeploySpec? {
        status.lastAppliedSpec.flatMap { try? $0.decode(DeploySpec.self) }
    }

    mutating func planMissingJob(jobID: String, desired: DeploySpec) {
        if let recorded = status.job?.flinkState.map(FlinkJobState.init(rawValue:)), recorded.isGloballyTerminal {
            // Seen ending before; Flink has since dropped it from its job history. Not lost: decide as if it
            // were still reported in the state it ended in.
            planTerminal(FlinkJobSnapshot(id: jobID, state: recorded, failureCause: status.failures?.lastMessage),
                         desired: desired)
            return
        }
        if status.job?.flinkState == nil {
            // Submitted under this id (or about to be) but never seen: repeat the same submission; Flink answers
            // `duplicateJob` if it got through before, which adopts it.
            if status.state == .failed {
                holdFailed()
                return
            }
            guard failureRetryAllowed() else { return }
            let sequence = status.deploySequence ?? 1
            deploy(appliedSpec ?? desired, reason: .retry, restorePath: status.job?.restoredFrom, sequence: sequence)
            return
        }
        emit(.warning, "JobLost", "Observe",
             "Flink no longer knows job \(jobID) (JobManager restarted without HA?); resubmitting from the latest state")
        deploy(desired, reason: .lostJob, restorePath: newestRestorePoint())
    }

    mutating func planActive(_ snapshot: FlinkJobSnapshot, desired: DeploySpec) {
        if let applied = appliedSpec, applied != desired {
            if applied.differsOnlyInParallelism(from: desired), case .available(let facts) = observation.cluster,
                facts.supportsInPlaceRescale, snapshot.state == .running
            {
                action = .rescale(jobID: snapshot.id, parallelism: desired.parallelism)
                status.state = .upgrading
                setCondition(ConditionType.progressing, .true, "Rescaling",
                             "rescaling in place from \(applied.parallelism) to \(desired.parallelism)")
                emit(.normal, "Rescaling", "Rescale",
                     "rescaling job \(snapshot.id) in place to parallelism \(desired.parallelism)")
                requeue = settings.progressRequeue
                return
            }
            planUpgrade(snapshot)
            return
        }
        if let nonce = spec.savepointNonce, nonce != status.savepoints?.lastNonce, snapshot.state == .running {
            startSavepoint(jobID: snapshot.id, reason: .manual, stop: false)
            status.state = .running
            return
        }
        if periodicSavepointDue(snapshot), savepointRetryAllowed() {
            startSavepoint(jobID: snapshot.id, reason: .periodic, stop: false)
            return
        }
        planSteady(snapshot)
    }

    mutating func planUpgrade(_ snapshot: FlinkJobSnapshot) {
        status.state = .upgrading
        // A job that is not running cannot take a savepoint. Where the spec allows recovery from checkpoints, a
        // crash-looping job is upgraded from its latest checkpoint instead (state kept, never stateless).
        let lastStateFallback = spec.upgradeMode == .savepoint && snapshot.state != .running
            && spec.recovery.onFailure == .fromLatestCheckpoint
        switch lastStateFallback ? .lastState : spec.upgradeMode {
        case .savepoint:
            guard savepointRetryAllowed() else {
                setCondition(ConditionType.progressing, .true, "UpgradePending",
                             "waiting to retry the upgrade savepoint")
                requeue = savepointRetryWait()
                return
            }
            startSavepoint(jobID: snapshot.id, reason: .upgrade, stop: true)
        case .stateless, .lastState:
            action = .cancel(jobID: snapshot.id)
            setCondition(ConditionType.progressing, .true, "Upgrading",
                         "cancelling job \(snapshot.id) to apply the new spec (\(spec.upgradeMode.rawValue))")
            emit(.normal, "Upgrading", "Upgrade",
                 "cancelling job \(snapshot.id) to apply the new spec (upgradeMode \(spec.upgradeMode.rawValue))")
            requeue = settings.progressRequeue
        }
    }

    func periodicSavepointDue(_ snapshot: FlinkJobSnapshot) -> Bool {
        guard snapshot.isFullyRunning, let text = spec.savepoints?.periodicInterval,
            let interval = GoDuration.parse(text), interval > .zero
        else { return false }
        let since = status.savepoints?.last.map(\.time.date) ?? snapshot.startTime ?? now
        let startedAfter = snapshot.startTime.map { max($0, since) } ?? since
        return now.timeIntervalSince(startedAfter) >= interval.secondsDouble
    }

    mutating func planSteady(_ snapshot: FlinkJobSnapshot) {
        if snapshot.isFullyRunning {
            status.state = .running
            setCondition(ConditionType.ready, .true, "Running",
                         "job \(snapshot.id) is running with all \(snapshot.tasks.total) tasks")
            setCondition(ConditionType.progressing, .false, "Stable", "the applied spec is running")
            if status.lastStableSpecHash != status.lastAppliedSpecHash {
                status.lastStableSpecHash = status.lastAppliedSpecHash
                status.lastStableSpec = status.lastAppliedSpec
            }
            if status.rollback == nil, status.savepoints?.failedAttempts == nil {
                setCondition(ConditionType.degraded, .false, "Healthy", "")
            }
            evaluateHealth(snapshot)
            if previous.state != .running {
                emit(.normal, "JobRunning", "Observe", "job \(snapshot.id) is running with all tasks")
            }
            status.message = nil
            requeue = settings.steadyRequeue
            return
        }
        let waiting: String
        let reason: String
        switch snapshot.state {
        case .running:
            reason = "TasksPending"
            waiting = "\(snapshot.tasks.running) of \(snapshot.tasks.total) tasks running; the rest wait for slots"
        case .restarting, .failing:
            reason = "JobRestarting"
            waiting = "job \(snapshot.id) is \(snapshot.state.rawValue)"
                + (snapshot.failureCause.map { ": \($0)" } ?? "")
            setCondition(ConditionType.degraded, .true, "JobRestarting", waiting)
        default:
            reason = "Deploying"
            waiting = "job \(snapshot.id) is \(snapshot.state.rawValue)"
        }
        // A fresh deploy or an upgrade keeps its state until the job is fully up; a job that ran is still Running.
        status.state = previous.state == .upgrading || previous.state == .deploying ? previous.state : .running
        setCondition(ConditionType.ready, .false, reason, waiting)
        setCondition(ConditionType.progressing, .true, reason, waiting)
        status.message = waiting
        requeue = settings.progressRequeue
        checkRollback(snapshot)
    }

    /// `health.maxCheckpointAge` and `health.backpressureThreshold` make a running job Degraded (not unready).
    mutating func evaluateHealth(_ snapshot: FlinkJobSnapshot) {
        var problems: [String] = []
        var reasons: [String] = []
        if let text = spec.health?.maxCheckpointAge, let limit = GoDuration.parse(text) {
            let last = status.checkpoints?.lastCompleted?.time?.date ?? snapshot.startTime
            if let last, now.timeIntervalSince(last) > limit.secondsDouble {
                reasons.append("CheckpointTooOld")
                problems.append("last completed checkpoint is \(Int(now.timeIntervalSince(last))) s old (limit \(text))")
            }
        }
        if let threshold = spec.health?.backpressureThreshold, let ratio = snapshot.maxBackpressureRatio,
            ratio * 100 > Double(threshold)
        {
            reasons.append("Backpressured")
            problems.append("a subtask is backpressured \(Int(ratio * 100))% of the time (threshold \(threshold)%)")
        }
        guard !problems.isEmpty else { return }
        setCondition(ConditionType.degraded, .true, reasons.joined(separator: "And"), problems.joined(separator: "; "))
        emitOnTransition(.warning, reasons[0], "Observe", problems.joined(separator: "; "))
    }

    /// Rolls back to the last stable spec when the applied one did not become ready within the timeout.
    mutating func checkRollback(_ snapshot: FlinkJobSnapshot) {
        guard spec.rollback.enabled, status.rollback == nil, let applied = status.lastAppliedSpecHash,
            let stable = status.lastStableSpecHash, applied != stable, status.lastStableSpec != nil,
            let submitted = status.job?.submitTime, let timeout = GoDuration.parse(spec.rollback.readinessTimeout),
            now.timeIntervalSince(submitted.date) > timeout.secondsDouble
        else { return }
        status.rollback = .init(failedSpecHash: DeploySpec(spec).hash, time: nowTime)
        let message = "the new spec was not ready within \(spec.rollback.readinessTimeout); rolling back to the last stable spec"
        setCondition(ConditionType.degraded, .true, "RolledBack", message)
        emit(.warning, "RollingBack", "Rollback", message)
        requeue = .zero
    }

    mutating func planTerminal(_ snapshot: FlinkJobSnapshot, desired: DeploySpec) {
        let applied = appliedSpec
        if previous.state == .suspended || previous.state == .suspending {
            deploy(desired, reason: .resume, restorePath: restorePointForStatefulRedeploy())
            return
        }
        if let applied, applied != desired {
            let reason: Deployment.Reason = status.rollback != nil ? .rollback : .upgrade
            deploy(desired, reason: reason, restorePath: restorePointForStatefulRedeploy())
            return
        }
        switch snapshot.state {
        case .finished:
            status.state = .succeeded
            let message = "job \(snapshot.id) finished"
            setCondition(ConditionType.ready, .false, "JobFinished", message)
            setCondition(ConditionType.progressing, .false, "JobFinished", message)
            emitOnTransition(.normal, "JobFinished", "Observe", message)
            status.message = message
            requeue = settings.steadyRequeue
        default:
            planRecovery(snapshot, desired: desired)
        }
    }

    mutating func planRecovery(_ snapshot: FlinkJobSnapshot, desired: DeploySpec) {
        let cause = snapshot.failureCause ?? "job \(snapshot.id) ended \(snapshot.state.rawValue)"
        if status.state == .failed {
            holdFailed()
            return
        }
        // Count this failure once: the first pass that sees the job ended records it, unless the submission's
        // own failure was already counted (Flink leaves a FAILED job behind when a restore path is refused).
        let alreadyCounted = status.failures?.lastTime.map { last in
            status.job?.submitTime.map { last >= $0 } ?? false
        } ?? false
        if previous.job?.flinkState.map(FlinkJobState.init(rawValue:))?.isGloballyTerminal != true, !alreadyCounted {
            var failures = status.failures ?? .init()
            failures.count += 1
            failures.lastTime = nowTime
            failures.lastMessage = String(cause.prefix(1024))
            status.failures = failures
            emit(.warning, "JobFailed", "Observe", cause)
        }
        let failures = status.failures?.count ?? 1
        guard spec.recovery.onFailure != .never, failures <= spec.recovery.backoffLimit else {
            status.state = .failed
            let why = spec.recovery.onFailure == .never
                ? "recovery.onFailure is Never" : "backoff limit \(spec.recovery.backoffLimit) reached"
            let message = "\(cause) (\(why))"
            setCondition(ConditionType.ready, .false, spec.recovery.onFailure == .never ? "JobFailed" : "BackoffLimitExceeded", message)
            setCondition(ConditionType.progressing, .false, "JobFailed", message)
            setCondition(ConditionType.degraded, .true, "JobFailed", message)
            emit(.warning, "JobFailed", "Recover", message)
            status.message = message
            requeue = settings.steadyRequeue
            return
        }
        setCondition(ConditionType.ready, .false, "JobFailed", cause)
        setCondition(ConditionType.degraded, .true, "JobFailed", cause)
        guard failureRetryAllowed() else { return }
        let restore: String? =
            switch spec.recovery.onFailure {
            case .fromLatestSavepoint: status.savepoints?.last?.location ?? spec.initialSavepointPath
            default: newestRestorePoint()
            }
        deploy(desired, reason: .recovery, restorePath: restore)
    }

    /// Keeps a job that exhausted its retries failed until its spec changes.
    mutating func holdFailed() {
        status.state = .failed
        requeue = settings.steadyRequeue
    }

    /// Whether the failure backoff has elapsed; when not, sets the wait.
    mutating func failureRetryAllowed() -> Bool {
        guard let failures = status.failures, failures.count > 0, let last = failures.lastTime else { return true }
        let delay = settings.retryDelay(attempt: failures.count).secondsDouble
        let elapsed = now.timeIntervalSince(last.date)
        guard elapsed >= delay else {
            requeue = .milliseconds(Int64(max(0.5, delay - elapsed) * 1000))
            setCondition(ConditionType.progressing, .true, "RetryPending",
                         "retrying in \(Int(delay - elapsed)) s after failure \(failures.count)")
            return false
        }
        return true
    }

    // MARK: Suspend

    mutating func planSuspend(jobID: String) {
        guard let snapshot = observation.job, !snapshot.state.isGloballyTerminal else {
            if previous.state != .suspended {
                emit(.normal, "Suspended", "Suspend", "job is suspended; no Flink job runs")
            }
            status.state = .suspended
            setCondition(ConditionType.ready, .false, "Suspended", "spec.state is Suspended")
            setCondition(ConditionType.progressing, .false, "Suspended", "spec.state is Suspended")
            status.message = nil
            requeue = settings.steadyRequeue
            return
        }
        status.state = .suspending
        switch spec.upgradeMode {
        case .savepoint:
            guard savepointRetryAllowed() else {
                requeue = savepointRetryWait()
                return
            }
            startSavepoint(jobID: snapshot.id, reason: .suspend, stop: true)
        case .stateless, .lastState:
            action = .cancel(jobID: snapshot.id)
            setCondition(ConditionType.progressing, .true, "Suspending", "cancelling job \(snapshot.id)")
            emit(.normal, "Suspending", "Suspend", "cancelling job \(snapshot.id) (upgradeMode \(spec.upgradeMode.rawValue))")
            requeue = settings.progressRequeue
        }
    }

    // MARK: Deploy

    /// The newest state to start from: the last savepoint or the last completed (retained) checkpoint.
    ///
    /// A path the previous submission could not find (Flink said so in the failure it reported) is skipped, so a
    /// checkpoint that was subsumed in the meantime makes the next attempt use the next newest state rather than
    /// fail the same way until the backoff limit.
    func newestRestorePoint() -> String? {
        var candidates: [(time: Date, path: String)] = []
        if let last = status.savepoints?.last { candidates.append((last.time.date, last.location)) }
        var checkpoints = [status.checkpoints?.lastCompleted, observation.retainedCheckpoint, observation.job?.latestSavepoint]
        if let recorded = status.checkpoints?.lastCompleted, let retained = observation.retainedCheckpoint,
            retained.id >= recorded.id
        {
            // The retained one lies in the recorded one's directory: the higher id is the newer state, whatever
            // the times say (they have whole seconds; a 500 ms interval puts both in the same second). Flink keeps
            // only the newest, so the recorded one may be gone.
            checkpoints[0] = nil
            checkpoints[1]?.time = [retained.time, recorded.time].compactMap { $0 }.max()
        }
        for checkpoint in checkpoints {
            if let checkpoint, let path = checkpoint.path {
                candidates.append((checkpoint.time?.date ?? .distantPast, path))
            }
        }
        let missing = status.failures?.lastMessage.flatMap(Self.missingRestorePath)
        let usable = candidates.filter { candidate in
            guard let missing else { return true }
            return !(candidate.path == missing || candidate.path.hasSuffix(missing) || missing.hasSuffix(candidate.path))
        }
        return usable.max { $0.time < $1.time }?.path
            ?? (missing == nil ? status.job?.restoredFrom : nil) ?? spec.initialSavepointPath
    }

    /// The path in Flink's "Cannot find checkpoint or savepoint file/directory '<path>'" message, if it is one.
    static func missingRestorePath(in message: String) -> String? {
        guard let range = message.range(of: "Cannot find checkpoint or savepoint file/directory '") else { return nil }
        let rest = message[range.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "file:/", with: "/", options: .anchored)
    }

    /// Where an upgrade or a resume starts from, per `upgradeMode`.
    func restorePointForStatefulRedeploy() -> String? {
        spec.upgradeMode == .stateless ? nil : newestRestorePoint()
    }

    mutating func deploy(
        _ deploySpec: DeploySpec, reason: Deployment.Reason, restorePath: String?, sequence: Int64? = nil
    ) {
        let sequence = sequence ?? (status.deploySequence ?? 0) + 1
        let jobID = DeploymentIdentity.jobID(uid: uid, sequence: sequence)
        let hash = deploySpec.hash
        if hash != status.lastAppliedSpecHash {
            status.failures = nil
            if status.state == .failed { status.state = nil }
        }
        status.deploySequence = sequence
        status.job = FlinkJobStatus.Job(
            id: jobID, submitTime: nowTime, restoredFrom: restorePath, cluster: deploySpec.clusterRef)
        status.lastAppliedSpec = try? JSONValue(encoding: deploySpec)
        status.lastAppliedSpecHash = hash
        status.parallelism = status.parallelism ?? deploySpec.parallelism
        status.state = reason == .initial || reason == .retry ? .deploying : (reason == .resume ? .deploying : .upgrading)
        if reason == .lostJob || reason == .recovery { status.state = .deploying }
        action = .deploy(Deployment(
            jobID: jobID, sequence: sequence, spec: deploySpec, restorePath: restorePath,
            allowNonRestoredState: spec.allowNonRestoredState, reason: reason, jobName: jobName))
        let from = restorePath.map { " from \($0)" } ?? ""
        setCondition(ConditionType.ready, .false, "Deploying", "submitting job \(jobID)\(from)")
        setCondition(ConditionType.progressing, .true, "Deploying", "submitting job \(jobID)\(from) (\(reason.rawValue))")
        emit(.normal, "Deploying", "Deploy", "submitting job \(jobID)\(from) (\(reason.rawValue))")
        status.message = nil
        requeue = settings.progressRequeue
    }

    // MARK: Outcomes

    mutating func record(_ outcome: JobActionOutcome) {
        switch outcome {
        case .done:
            if case .rescale(_, let parallelism) = action, var applied = appliedSpec {
                applied.parallelism = parallelism
                status.lastAppliedSpec = try? JSONValue(encoding: applied)
                status.lastAppliedSpecHash = applied.hash
            }
        case .submitted(let adopted):
            if adopted, let id = status.job?.id {
                emit(.normal, "JobAdopted", "Deploy", "job \(id) was already submitted; adopted it")
            }
        case .submissionFailed(let message):
            if spec.type == .batch {
                BatchPlanner.record(outcome, into: &self)
                emit(.warning, "DeployFailed", "Deploy", message)
            } else {
                countFailure(message: message, reason: "DeployFailed")
            }
        case .artifactFailed(let reason, let message):
            if spec.type == .batch {
                BatchPlanner.record(outcome, into: &self)
                emit(.warning, reason, "Deploy", message)
            } else {
                countFailure(message: message, reason: reason)
            }
        case .savepointTriggerFailed(let message):
            if let pending = status.savepoints?.pending { failSavepoint(pending, cause: message) }
        case .rescaleFailed(let message):
            setCondition(ConditionType.degraded, .true, "RescaleFailed", message)
            emit(.warning, "RescaleFailed", "Rescale", message)
            requeue = settings.retryBase
        case .unreachable(let message):
            setCondition(ConditionType.degraded, .true, "ClusterUnavailable", message)
            requeue = settings.unavailableRequeue
        }
    }

    mutating func countFailure(message: String, reason: String) {
        var failures = status.failures ?? .init()
        failures.count += 1
        failures.lastTime = nowTime
        failures.lastMessage = String(message.prefix(1024))
        status.failures = failures
        let limit = spec.recovery.backoffLimit
        if failures.count > limit {
            status.state = .failed
            setCondition(ConditionType.ready, .false, "BackoffLimitExceeded", "\(message) (backoff limit \(limit) reached)")
            setCondition(ConditionType.progressing, .false, reason, message)
        } else {
            setCondition(ConditionType.ready, .false, reason, message)
            setCondition(ConditionType.progressing, .true, "RetryPending", "retry \(failures.count) of \(limit) after: \(message)")
        }
        setCondition(ConditionType.degraded, .true, reason, message)
        emit(.warning, reason, "Deploy", message)
        status.message = message
        requeue = settings.retryDelay(attempt: failures.count)
    }

    // MARK: Conditions and events

    /// Sets a condition, keeping `lastTransitionTime` unless the status value flips.
    mutating func setCondition(_ type: String, _ value: Condition.Status, _ reason: String, _ message: String) {
        var conditions = status.conditions ?? []
        let existing = conditions.firstIndex { $0.type == type }
        let transition = existing.flatMap { conditions[$0].status == value ? conditions[$0].lastTransitionTime : nil }
        let condition = Condition(
            type: type, status: value, reason: reason, message: String(message.prefix(32 * 1024)),
            observedGeneration: job.metadata.generation, lastTransitionTime: transition ?? nowTime)
        if let existing {
            conditions[existing] = condition
        } else {
            conditions.append(condition)
        }
        status.conditions = conditions
    }

    mutating func emit(_ type: JobEvent.Kind, _ reason: String, _ action: String, _ note: String) {
        events.append(JobEvent(type, reason: reason, action: action, note: note))
    }

    /// Emits only when the condition this event describes was not already reported with the same message.
    mutating func emitOnTransition(_ type: JobEvent.Kind, _ reason: String, _ action: String, _ note: String) {
        let alreadyReported = previous.conditions?.contains { $0.reason == reason && $0.message.hasSuffix(note) } ?? false
        if !alreadyReported { emit(type, reason, action, note) }
    }
}
