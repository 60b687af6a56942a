import Foundation
import Kubernetes

/// Everything one planning pass decides from, and the facts derived from it once: immutable.
///
/// Built by `JobPlanner` from a `PlannerInput` after the status read back was validated (`StatusValidation`); every
/// lifecycle function reads it and none changes it.
struct PlanContext: Sendable {
    let job: FlinkJob
    let spec: FlinkJobSpec
    let observation: JobObservation
    /// Spec problems beyond the CRD schema (`InvalidSpec`).
    let validationErrors: [String]
    /// The cluster's refusals (namespace policy, quotas, artifact policy).
    let refusals: [Refusal]
    let now: Date
    let settings: PlannerSettings
    /// The status as read back, validated; the lifecycle's starting point.
    let previous: FlinkJobStatus
    /// The phase the previous pass left the job in.
    let previousPhase: Phase
    /// The spec to run: the user's, or the last stable spec while a rollback is in force.
    let desired: DeploySpec
    /// `desired.hash`.
    let desiredHash: String
    /// Whether a rollback to the last stable spec is in force for the user's current spec.
    let rollingBack: Bool

    init(input: PlannerInput, settings: PlannerSettings, previous: FlinkJobStatus) {
        job = input.job
        spec = input.job.spec
        observation = input.observation
        validationErrors = input.validationErrors
        refusals = input.refusals
        now = input.now
        self.settings = settings
        self.previous = previous
        previousPhase = previous.phase ?? Phase.migrated(from: previous)
        var contentHash: String?
        if case .content(let hash) = input.observation.references { contentHash = hash }
        let requested = DeploySpec(input.job.spec, referencedContentHash: contentHash ?? Self.appliedContentHash(previous))
        if let rollback = previous.rollback, rollback.failedSpecHash == requested.hash,
            let stable = DeploySpec.copy(previous.lastStableSpec, matching: previous.lastStableSpecHash)
        {
            desired = stable
            rollingBack = true
        } else {
            desired = requested
            rollingBack = false
        }
        desiredHash = desired.hash
    }

    /// While referenced content cannot be read, the applied job's content hash stands in (no decision is made
    /// on content that was not seen).
    private static func appliedContentHash(_ status: FlinkJobStatus) -> String? {
        DeploySpec.copy(status.lastAppliedSpec, matching: status.lastAppliedSpecHash)?.referencedContentHash
    }

    // MARK: Derived facts

    var nowTime: KubeTime { KubeTime(now) }
    var uid: String { job.metadata.uid ?? job.metadata.name ?? "" }
    /// The Flink job name (`pipeline.name`): `namespace/name`.
    var jobName: String { "\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")" }
    var deleting: Bool { job.metadata.isDeleting }
    var facts: JobObservation.ClusterFacts? { observation.facts }

    /// Where savepoints of this job go: `spec.savepoints.directory`, else the cluster's default.
    var savepointDirectory: String? {
        spec.savepoints?.directory ?? facts?.defaultSavepointDirectory
    }

    /// The value of the `flink.jobcontroller.io/release-hold` annotation, if set.
    var releaseToken: String? { job.metadata.annotations?[FlinkJobStatus.Hold.releaseAnnotation] }

    /// Whether the spec `status` applied differs from the desired one.
    func specChanged(_ status: FlinkJobStatus) -> Bool { status.lastAppliedSpecHash != desiredHash }

    /// Whether the referenced content can be judged this pass (a ConfigMap that cannot be read is not a change).
    var referencesKnown: Bool {
        if case .unavailable = observation.references { return false }
        return true
    }

    /// Whether `status` records an artifact prepared for the desired spec on the cluster it names.
    func isPrepared(_ status: FlinkJobStatus) -> Bool {
        guard let prepared = status.prepared else { return false }
        return prepared.specHash == desiredHash && prepared.cluster == desired.clusterRef
    }

    /// A requeue delay stretched by up to `requeueJitter`, by an amount fixed per object and pass time, so periodic
    /// checks of many objects spread out (pure: the same object at the same instant gets the same delay).
    func jittered(_ delay: Duration) -> Duration {
        guard delay > .zero, settings.requeueJitter > 0 else { return delay }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(uid)/\(Int64(now.timeIntervalSince1970))".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let fraction = Double(hash % 10_000) / 10_000
        return delay * (1 + settings.requeueJitter * fraction)
    }
}
