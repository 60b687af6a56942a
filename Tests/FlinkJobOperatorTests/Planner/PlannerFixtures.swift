import FlinkREST
import Foundation
import JSONCore
import Kubernetes

@testable import FlinkJobOperator

/// A fixed instant the planner tests start from: 2026-03-01T12:00:00Z.
let t0 = Date(timeIntervalSince1970: 1_772_366_400)

extension FlinkJob {
    /// A streaming jar job that has never been reconciled.
    static func fixture(name: String = "orders", namespace: String = "team-a", uid: String = "uid-1") -> FlinkJob {
        var metadata = ObjectMeta(
            name: name, namespace: namespace, finalizers: [FlinkJob.finalizer], resourceVersion: "1", uid: uid)
        metadata.generation = 1
        metadata.creationTimestamp = KubeTime(t0.addingTimeInterval(-3600))
        return FlinkJob(
            metadata: metadata,
            spec: FlinkJobSpec(
                artifact: .init(jar: .init(uri: "file:///artifacts/orders.jar", entryClass: "com.example.Orders")),
                args: ["--rate", "10"], parallelism: 2))
    }

    func with(_ change: (inout FlinkJob) -> Void) -> FlinkJob {
        var copy = self
        change(&copy)
        return copy
    }

    func suspended() -> FlinkJob { with { $0.spec.state = .suspended } }
    func deleting() -> FlinkJob { with { $0.metadata.deletionTimestamp = KubeTime(t0) } }
    func upgradeMode(_ mode: FlinkJobSpec.UpgradeMode) -> FlinkJob { with { $0.spec.upgradeMode = mode } }
    func args(_ args: [String]) -> FlinkJob { with { $0.spec.args = args; $0.metadata.generation = ($0.metadata.generation ?? 1) + 1 } }
    func parallelism(_ p: Int) -> FlinkJob { with { $0.spec.parallelism = p } }

    /// As if deploy number `sequence` of the current spec was submitted at `submitted` and seen in `flinkState`.
    func deployed(sequence: Int64 = 1, flinkState: FlinkJobState? = .running, submitted: Date = t0.addingTimeInterval(-600))
        -> FlinkJob
    {
        with { job in
            var status = job.status ?? FlinkJobStatus()
            let deploySpec = DeploySpec(job.spec)
            status.deploySequence = sequence
            status.job = .init(
                id: DeploymentIdentity.jobID(uid: job.metadata.uid ?? "", sequence: sequence),
                flinkState: flinkState?.rawValue, submitTime: KubeTime(submitted), cluster: "default")
            status.lastAppliedSpec = try? JSONValue(encoding: deploySpec)
            status.lastAppliedSpecHash = deploySpec.hash
            status.stateLineageStart = status.stateLineageStart ?? 1
            status.phase = flinkState == nil ? .deploying : .running
            status.job?.submission = flinkState == nil ? nil : .accepted
            status.prepared = .preparedFixture(for: deploySpec)
            job.status = status
        }
    }

    /// As if the artifact of the current spec was prepared.
    func prepared() -> FlinkJob {
        status { $0.prepared = .preparedFixture(for: DeploySpec(spec)) }
    }

    /// A savepoint location as Flink names it for this FlinkJob's deploy `sequence`.
    func savepointPath(_ tag: String, sequence: Int64 = 1, directory: String = "file:///savepoints") -> String {
        let id = DeploymentIdentity.jobID(uid: metadata.uid ?? "", sequence: sequence)
        return "\(directory)/savepoint-\(id.prefix(6))-\(tag)"
    }

    /// A checkpoint path of this FlinkJob's deploy `sequence`.
    func checkpointPath(_ id: Int64, sequence: Int64 = 1) -> String {
        "file:///ckpt/\(DeploymentIdentity.jobID(uid: metadata.uid ?? "", sequence: sequence))/chk-\(id)"
    }

    var jobID: String { status?.job?.id ?? "" }

    func status(_ change: (inout FlinkJobStatus) -> Void) -> FlinkJob {
        with { job in
            var status = job.status ?? FlinkJobStatus()
            change(&status)
            job.status = status
        }
    }
}

extension FlinkJobSnapshot {
    static func running(_ id: String, tasks: Int = 2, parallelism: Int = 2, started: Date = t0.addingTimeInterval(-300))
        -> FlinkJobSnapshot
    {
        FlinkJobSnapshot(
            id: id, state: .running, tasks: .init(total: tasks, running: tasks), startTime: started,
            parallelism: parallelism,
            lastCompletedCheckpoint: .init(id: 7, time: KubeTime(t0.addingTimeInterval(-20)), path: "file:///ckpt/\(id)/chk-7"))
    }

    static func ended(_ id: String, _ state: FlinkJobState, cause: String? = nil) -> FlinkJobSnapshot {
        FlinkJobSnapshot(
            id: id, state: state, tasks: .init(total: 2, finished: 2),
            lastCompletedCheckpoint: .init(id: 9, time: KubeTime(t0.addingTimeInterval(-5)), path: "file:///ckpt/\(id)/chk-9"),
            failureCause: cause)
    }
}

extension JobObservation {
    static func available(
        _ job: FlinkJobSnapshot? = nil, adaptive: Bool = false, savepoint: SavepointProgress? = nil,
        runs: [String: FlinkJobSnapshot] = [:]
    ) -> JobObservation {
        JobObservation(
            cluster: .available(.init(supportsInPlaceRescale: adaptive, defaultSavepointDirectory: "file:///savepoints")),
            job: job, savepoint: savepoint, runs: runs)
    }
}

extension FlinkJobStatus.PreparedArtifact {
    static func preparedFixture(for spec: DeploySpec) -> Self {
        .init(specHash: spec.hash, cluster: spec.clusterRef, jarId: "jar-\(spec.hash.prefix(6))", uri: spec.artifact.jar?.uri,
              digest: "sha256:" + String(repeating: "a", count: 64), time: KubeTime(t0.addingTimeInterval(-3600)))
    }
}

/// Planner tests run without jitter, so requeue delays are exact.
let exactSettings = PlannerSettings(requeueJitter: 0)

func plan(
    _ job: FlinkJob, _ observation: JobObservation, errors: [String] = [], now: Date = t0,
    settings: PlannerSettings = exactSettings
) -> JobPlan {
    JobPlanner(settings: settings).plan(PlannerInput(job: job, observation: observation, validationErrors: errors, now: now))
}

/// `plan`, and when it prepares an artifact first, the pass after that preparation succeeded (what two reconciles
/// in a row do).
func settled(
    _ job: FlinkJob, _ observation: JobObservation, errors: [String] = [], now: Date = t0,
    settings: PlannerSettings = exactSettings
) -> JobPlan {
    let first = plan(job, observation, errors: errors, now: now, settings: settings)
    guard case .prepare(let spec) = first.action else { return first }
    let prepared = JobPlanner(settings: settings).record(
        .prepared(.preparedFixture(for: spec)), of: first,
        input: PlannerInput(job: job, observation: observation, validationErrors: errors, now: now))
    return plan(prepared.applied(to: job), observation, errors: errors, now: now, settings: settings)
}

extension JobPlan {
    func condition(_ type: String) -> Condition? { status.conditions?.first { $0.type == type } }

    /// The job with this plan's status stored, as the next reconcile would read it.
    func applied(to job: FlinkJob) -> FlinkJob { job.with { $0.status = status } }

    var deployment: Deployment? {
        if case .deploy(let deployment) = action { return deployment }
        return nil
    }

    var savepointRequest: (request: SavepointRequest, stop: Bool)? {
        switch action {
        case .triggerSavepoint(let request): (request, false)
        case .stopWithSavepoint(let request): (request, true)
        default: nil
        }
    }
}
