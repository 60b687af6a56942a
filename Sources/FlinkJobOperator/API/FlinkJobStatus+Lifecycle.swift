import Kubernetes

extension FlinkJobStatus {
    /// A stop of the current Flink job that the lifecycle is waiting on.
    public struct StopOperation: Sendable, Hashable, Codable {
        /// What the stop is for; decides what happens once the job has ended.
        public enum Purpose: String, Sendable, Hashable, Codable {
            /// A changed spec (or `restartNonce`) is deployed next, from the stop's state.
            case upgrade = "Upgrade"
            /// `spec.state: Suspended`: nothing is deployed next.
            case suspend = "Suspend"
            /// The FlinkJob is being deleted: the finalizer goes next.
            case delete = "Delete"
            /// The last stable spec is deployed next (`rollback.enabled`).
            case rollback = "Rollback"
        }

        /// How the job is stopped.
        public enum Mode: String, Sendable, Hashable, Codable {
            /// Stop-with-savepoint (the trigger is in `savepoints.pending`); the next run starts from it.
            case savepoint = "Savepoint"
            /// Cancel; the next run starts empty (`Stateless`) or from the newest retained checkpoint (`LastState`).
            case cancel = "Cancel"
        }

        public var purpose: Purpose
        public var mode: Mode
        /// The Flink job being stopped.
        public var jobId: String
        /// Where the next run starts from once the job has ended: `checkpoint` restores the newest retained
        /// checkpoint of the stopped job; `empty` starts without state.
        public var restore: RestoreFrom
        public var since: KubeTime
        /// The savepoint the stop took, once it completed (the job may take a moment longer to end).
        public var savepoint: String?

        /// Where the next run starts from.
        public enum RestoreFrom: String, Sendable, Hashable, Codable {
            /// The stop's own savepoint.
            case savepoint = "Savepoint"
            /// The newest proven state of the stopped job (its retained checkpoint).
            case checkpoint = "Checkpoint"
            /// No state (`upgradeMode: Stateless`).
            case empty = "Empty"
            /// Where the stopped job itself started from (it made no state of its own: a deploy superseded
            /// before it ran).
            case startPoint = "StartPoint"
        }

        public init(purpose: Purpose, mode: Mode, jobId: String, restore: RestoreFrom, since: KubeTime) {
            self.purpose = purpose
            self.mode = mode
            self.jobId = jobId
            self.restore = restore
            self.since = since
        }
    }

    /// The deploy the lifecycle decided on and has not made yet (waiting for its artifact or a backoff): why, and
    /// where it starts from — decided when the evidence was observable (the stopped or failed job's state).
    public struct PendingDeploy: Sendable, Hashable, Codable {
        public var reason: Deployment.Reason
        /// `nil`: start without state.
        public var restorePath: String?
        public var since: KubeTime

        public init(reason: Deployment.Reason, restorePath: String?, since: KubeTime) {
            self.reason = reason
            self.restorePath = restorePath
            self.since = since
        }
    }

    /// An artifact fetched, verified and uploaded for the spec with `specHash`.
    ///
    /// The deploy after a stop uses the bytes with `digest` from the operator's content-addressed cache (not the
    /// URI again), so an artifact server that goes away during the stop cannot take the job down. Status is not
    /// trusted: the record only selects an artifact the operator itself fetched for the spec's URI; jar ids are
    /// looked up again on the cluster.
    public struct PreparedArtifact: Sendable, Hashable, Codable {
        /// The deploy spec hash (including referenced content) this was prepared for.
        public var specHash: String
        /// The FlinkSessionCluster it was uploaded to.
        public var cluster: String
        /// The jar that runs (the user's, or the SQL runner / Python driver), as uploaded.
        public var jarId: String
        /// The artifact's URI (`nil` for inline SQL).
        public var uri: String?
        /// `sha256:<hex>` of the artifact's bytes.
        public var digest: String?
        public var time: KubeTime

        public init(specHash: String, cluster: String, jarId: String, uri: String? = nil, digest: String? = nil, time: KubeTime) {
            self.specHash = specHash
            self.cluster = cluster
            self.jarId = jarId
            self.uri = uri
            self.digest = digest
            self.time = time
        }
    }

    /// The operator will not act on its own: a person must decide.
    ///
    /// Released by the situation resolving itself (the restore point appears, the cluster points back), or by a
    /// person annotating the FlinkJob with `flink.jobcontroller.io/release-hold: <token>` — the token is this
    /// hold's, so an old annotation never releases a later hold. What releasing does is `fallback`.
    public struct Hold: Sendable, Hashable, Codable {
        public enum Reason: String, Sendable, Hashable, Codable {
            /// A stateful job was lost and no restore point can be proven; releasing starts from `fallback`
            /// (the newest savepoint the operator recorded) or empty.
            case noRestorePoint = "NoRestorePoint"
            /// The job was deployed to another Flink cluster than the FlinkSessionCluster points at now; releasing
            /// treats the old job as gone and deploys on the new cluster from the newest recorded state.
            case clusterChanged = "ClusterChanged"
            /// Deletion cannot stop the job: its FlinkSessionCluster does not exist; releasing removes the
            /// finalizer without stopping anything.
            case clusterMissing = "ClusterMissing"
            /// Deletion with `deletePolicy: Savepoint` but no savepoint directory is known; releasing cancels.
            case noSavepointDirectory = "NoSavepointDirectory"
            /// A one-off batch run that Flink forgot (its history expired while the operator was away): whether it
            /// succeeded is unknown; releasing runs it again.
            case runOutcomeUnknown = "RunOutcomeUnknown"
        }

        public var reason: Reason
        public var message: String
        /// The value of `flink.jobcontroller.io/release-hold` that releases this hold.
        public var token: String
        public var since: KubeTime
        /// The restore path releasing would use (nil: start empty), for `noRestorePoint` and `clusterChanged`.
        public var fallback: String?

        public init(reason: Reason, message: String, token: String, since: KubeTime, fallback: String? = nil) {
            self.reason = reason
            self.message = message
            self.token = token
            self.since = since
            self.fallback = fallback
        }
    }

    /// Backoff of an operation that failed without the job failing.
    public struct Retry: Sendable, Hashable, Codable {
        public enum Operation: String, Sendable, Hashable, Codable {
            case prepare = "Prepare"
            case submit = "Submit"
            case savepoint = "Savepoint"
            case rescale = "Rescale"
            case cancel = "Cancel"
        }

        public var operation: Operation
        /// Failures in a row of this operation.
        public var attempts: Int
        /// Not before this time.
        public var notBefore: KubeTime
        /// The condition reason (`ArtifactUnavailable`, `SavepointFailed`, `FlinkUnavailable`, ...).
        public var reason: String
        public var message: String
        /// The deploy spec hash it failed for (a new spec starts afresh).
        public var specHash: String?

        public init(
            operation: Operation, attempts: Int, notBefore: KubeTime, reason: String, message: String,
            specHash: String? = nil
        ) {
            self.operation = operation
            self.attempts = attempts
            self.notBefore = notBefore
            self.reason = reason
            self.message = message
            self.specHash = specHash
        }
    }

    /// What keeps the operator from acting on the spec: a refusal (invalid spec, policy, quota) or a cluster that
    /// is missing or unreachable. Recorded so that its Warning event is emitted when it starts or changes, not on
    /// every pass; the conditions say the same.
    public struct Blocker: Sendable, Hashable, Codable {
        public var reason: String
        public var message: String
        public init(reason: String, message: String) {
            self.reason = reason
            self.message = message
        }
    }

    /// What the health evaluation found wrong with the running job.
    public struct Health: Sendable, Hashable, Codable {
        public struct Problem: Sendable, Hashable, Codable {
            /// `CheckpointTooOld`, `CheckpointsFailing`, `Backpressured`.
            public var reason: String
            /// Stable while the problem persists (no ages that grow every pass).
            public var message: String
            public init(reason: String, message: String) {
                self.reason = reason
                self.message = message
            }
        }

        public var problems: [Problem]
        public init(problems: [Problem]) { self.problems = problems }
    }
}
