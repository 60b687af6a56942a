import FlinkREST
import Foundation
import Kubernetes
import Logging

/// Reads the Flink side of one FlinkJob into a `JobObservation` for the planner.
///
/// Order matters: a pending savepoint trigger is polled *before* the job status, so that a completed
/// stop-with-savepoint is never paired with a job status read before the stop finished. Transport failures make
/// the cluster `unavailable` for this pass (and feed its circuit breaker); they are never mistaken for a missing job.
///
/// It also reads what the spec refers to outside itself (the SQL script of a ConfigMap, hashed), and lists
/// checkpoint storage only through `CheckpointStorage` (the directories the operator was told it shares with
/// Flink): a path elsewhere (or s3, hdfs) proves nothing about what exists.
public struct JobObserver: Sendable {
    let clusters: any FlinkClusterAccess
    let references: (any ReferenceLookup)?
    /// The checkpoint storage the operator can list.
    let storage: any CheckpointStorage
    let logger: Logger

    public init(
        clusters: any FlinkClusterAccess, references: (any ReferenceLookup)? = nil,
        storage: any CheckpointStorage = LocalCheckpointStorage(directories: []), logger: Logger
    ) {
        self.clusters = clusters
        self.references = references
        self.storage = storage
        self.logger = logger
    }

    /// The observation for `job`, and the cluster handle when the cluster is usable.
    public func observe(_ job: FlinkJob) async -> (JobObservation, ClusterHandle?) {
        let clusterName = job.status?.job?.cluster ?? job.spec.clusterRef.name
        let handle: ClusterHandle
        switch await clusters.lookup(clusterName) {
        case .missing:
            return (JobObservation(cluster: .missing), nil)
        case .unavailable(let reason):
            return (JobObservation(cluster: .unavailable(reason: reason)), nil)
        case .available(let available):
            handle = available
        }
        let referenced = await referencedContent(job)
        do throws(FlinkRESTError) {
            var observation = JobObservation(cluster: .available(handle.facts), references: referenced)
            let status = job.status
            if let pending = status?.savepoints?.pending, let id = status?.job?.id.flatMap(FlinkJobID.init) {
                observation.savepoint = try await savepointProgress(handle.client, job: id, trigger: pending.triggerId)
            }
            if let id = status?.job?.id.flatMap(FlinkJobID.init) {
                observation.job = try await snapshot(handle.client, id, spec: job.spec)
            }
            for run in status?.runs?.active ?? [] where run.jobId != status?.job?.id {
                if let id = FlinkJobID(run.jobId), let snapshot = try await snapshot(handle.client, id, spec: job.spec) {
                    observation.runs[run.jobId] = snapshot
                }
            }
            if let current = observation.job, status?.runs?.active?.contains(where: { $0.jobId == current.id }) == true {
                observation.runs[current.id] = current
            }
            // The job ended or Flink does not know it (lost, or never submitted): what state is left in storage.
            if status?.job?.id != nil, observation.job.map({ $0.state.isGloballyTerminal }) ?? true {
                (observation.retainedCheckpoint, observation.ownCheckpointsListed) = retained(of: job, handle: handle)
                observation.stopSavepoint = unrecordedStopSavepoint(of: job, handle: handle)
            }
            await clusters.recordRequest(cluster: handle.name, failure: nil)
            return (observation, handle)
        } catch {
            if error.isTransient {
                await clusters.recordRequest(cluster: handle.name, failure: error)
                return (JobObservation(cluster: .unavailable(reason: error.description)), nil)
            }
            // A non-transient answer (e.g. an undecodable response) is still not a reason to act on the job.
            logger.warning("Observing the Flink job failed", metadata: ["error": "\(error)"])
            return (JobObservation(cluster: .unavailable(reason: error.description)), nil)
        }
    }

    /// The hash of the content the spec refers to (a SQL script in a ConfigMap).
    func referencedContent(_ job: FlinkJob) async -> JobObservation.ReferencedContent {
        guard let reference = job.spec.artifact.sql?.configMapRef, let references else { return .none }
        let namespace = job.metadata.namespace ?? "default"
        do {
            guard let script = try await references.configMapValue(namespace: namespace, name: reference.name, key: reference.key)
            else { return .missing("ConfigMap \(namespace)/\(reference.name) key \(reference.key)") }
            return .content(hash: DeploymentIdentity.digest(script))
        } catch {
            return .unavailable("ConfigMap \(namespace)/\(reference.name) cannot be read: \(error)")
        }
    }

    func savepointProgress(_ client: any FlinkService, job: FlinkJobID, trigger: String) async throws(FlinkRESTError)
        -> JobObservation.SavepointProgress
    {
        guard let triggerID = FlinkTriggerID(trigger) else {
            return .failed(cause: "invalid trigger id \(trigger) in status")
        }
        do {
            switch try await client.savepointStatus(of: job, trigger: triggerID) {
            case .inProgress: return .inProgress
            case .completed(let location): return .completed(location: location)
            case .failed(let cause): return .failed(cause: cause.summary)
            }
        } catch .notFound(let message) {
            // Flink forgets trigger results after a while and on a JobManager restart.
            return .failed(cause: "Flink does not know the savepoint trigger any more (\(message))")
        }
    }

    /// The savepoint a stop-with-savepoint wrote before its answer was lost: a savepoint of the stopped job in
    /// its savepoint directory that status does not know yet.
    func unrecordedStopSavepoint(of job: FlinkJob, handle: ClusterHandle) -> String? {
        guard let pending = job.status?.savepoints?.pending, pending.stop == true,
            let jobID = pending.jobId ?? job.status?.job?.id,
            let directory = job.spec.savepoints?.directory ?? handle.facts.defaultSavepointDirectory
        else { return nil }
        let known = Set(([job.status?.savepoints?.last] + (job.status?.savepoints?.history ?? []).map { Optional($0) })
            .compactMap { $0.map { StateOwnership.normalized($0.location) } })
        return storage.savepoints(in: directory, ofJob: jobID).first { !known.contains(StateOwnership.normalized($0)) }
    }

    /// The newest retained checkpoint of the job's state, and whether the current Flink job's own checkpoint
    /// directory (`<checkpoint dir>/<job id>/`) could be listed. A job may checkpoint and be lost before the
    /// operator sees the checkpoint (the JobManager went away in between): only a listing of its own directory
    /// finds that state, and only a listing that found nothing proves there is none.
    func retained(of job: FlinkJob, handle: ClusterHandle)
        -> (checkpoint: FlinkJobStatus.CheckpointStatus.CompletedCheckpoint?, ownListed: Bool)
    {
        let recorded = job.status?.checkpoints?.lastCompleted
        var newest = recorded.flatMap(storage.newestRetained(near:))
        guard let id = job.status?.job?.id, recorded?.path?.contains("/\(id)/") != true,
            let base = job.spec.flinkConfiguration?["execution.checkpointing.dir"] ?? handle.checkpointDirectory
        else { return (newest, false) }
        let directory = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/\(id)"
        if let own = storage.newestRetained(near: .init(id: 0, time: nil, path: "\(directory)/chk-0")),
            own.id > (newest?.id ?? Int64.min)
        {
            newest = own
        }
        return (newest, storage.canList(directory))
    }

    /// The job as Flink reports it; `nil` when Flink does not know the id.
    func snapshot(_ client: any FlinkService, _ id: FlinkJobID, spec: FlinkJobSpec) async throws(FlinkRESTError)
        -> FlinkJobSnapshot?
    {
        let state: FlinkJobState
        do {
            state = try await client.jobStatus(id)
        } catch .notFound {
            return nil
        }
        let details: JobDetails
        do {
            details = try await client.jobDetails(id)
        } catch .notFound {
            return nil
        }
        var snapshot = FlinkJobSnapshot(
            id: id.hexString, state: state,
            tasks: .init(
                total: details.taskCounts.total, running: details.taskCounts.running,
                pending: details.taskCounts.pending, failed: details.taskCounts.failed,
                finished: details.taskCounts.finished),
            startTime: details.startTime > 0 ? Date(timeIntervalSince1970: Double(details.startTime) / 1000) : nil,
            parallelism: details.vertices.map(\.parallelism).max())
        if spec.type == .streaming, let statistics = try await client.checkpointStatistics(id) {
            if let completed = statistics.latest.completed, let path = completed.externalPath, completed.discarded != true {
                snapshot.lastCompletedCheckpoint = .init(
                    id: completed.id, time: KubeTime(Date(timeIntervalSince1970: Double(completed.triggerTimestamp) / 1000)),
                    path: path)
            }
            if let savepoint = statistics.latest.savepoint, let path = savepoint.externalPath {
                snapshot.latestSavepoint = .init(
                    id: savepoint.id, time: KubeTime(Date(timeIntervalSince1970: Double(savepoint.triggerTimestamp) / 1000)),
                    path: path)
            }
            snapshot.failedCheckpoints = Int64(statistics.counts.failed)
        }
        if !state.isGloballyTerminal, let metrics = try? await client.jobMetrics(id, names: ["numRestarts"]),
            let restarts = metrics["numRestarts"].flatMap(Self.count)
        {
            snapshot.restarts = restarts
        }
        if state == .failed || state == .restarting || state == .failing {
            snapshot.failureCause = try? await failureCause(client, id)
        }
        if state == .running, details.taskCounts.allRunning, spec.health?.backpressureThreshold != nil {
            snapshot.maxBackpressureRatio = await maxBackpressure(client, id, vertices: details.vertices.map(\.id))
        }
        return snapshot
    }

    /// A count Flink reported as a number (`"3"`, `"3.0"`); `nil` for anything that is not a finite, non-negative
    /// number in range (`NaN`, `Infinity`, garbage): bad input, never a trap.
    static func count(_ text: String) -> Int64? {
        guard let value = Double(text), value.isFinite, value >= 0, value < 9.0e15 else { return nil }
        return Int64(value)
    }

    /// The root cause of the latest failure, trimmed to exception class and message.
    func failureCause(_ client: any FlinkService, _ id: FlinkJobID) async throws(FlinkRESTError) -> String? {
        if case .completed(let result) = try await client.jobExecutionResult(id), let failure = result.failureCause {
            return failure.summary
        }
        return try await client.jobExceptions(id).entries.first?.summary
    }

    /// The highest backpressured-time ratio of any subtask; `nil` while Flink has no measurement yet.
    func maxBackpressure(_ client: any FlinkService, _ id: FlinkJobID, vertices: [String]) async -> Double? {
        var highest: Double?
        for vertex in vertices {
            guard case .measured(let report) = try? await client.backpressure(of: id, vertex: vertex) else { continue }
            let ratio = report.subtasks.map(\.ratio).filter(\.isFinite).max() ?? 0
            highest = max(highest ?? 0, ratio)
        }
        return highest
    }
}
