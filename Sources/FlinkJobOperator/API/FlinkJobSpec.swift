/// The desired state of a FlinkJob, exactly as the CRD `crds/flinkjob.yaml` defines it.
///
/// Decoding applies the CRD's defaults for absent fields, so an object read from a directory of manifests (local
/// mode, no API server to default it) means the same as one read from Kubernetes. The operator never writes a spec.
public struct FlinkJobSpec: Sendable, Hashable, Codable {
    public var clusterRef: ClusterReference
    public var type: JobType
    public var artifact: Artifact
    public var args: [String]?
    public var parallelism: Int
    public var flinkConfiguration: [String: String]?
    public var checkpointing: Checkpointing?
    public var restartStrategy: RestartStrategy?
    public var state: DesiredState
    public var upgradeMode: UpgradeMode
    public var initialSavepointPath: String?
    public var allowNonRestoredState: Bool
    public var savepoints: Savepoints?
    public var deletePolicy: DeletePolicy
    public var recovery: Recovery
    public var health: Health?
    public var rollback: Rollback
    public var restartNonce: Int64?
    public var savepointNonce: Int64?
    public var batch: Batch?

    /// Which session cluster runs the job.
    public struct ClusterReference: Sendable, Hashable, Codable {
        /// The FlinkSessionCluster's name.
        public var name: String

        public init(name: String = "default") { self.name = name }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? "default"
        }
    }

    /// Streaming jobs run until stopped; batch jobs run to completion (once or on a schedule).
    public enum JobType: String, Sendable, Hashable, Codable, CaseIterable {
        case streaming = "Streaming"
        case batch = "Batch"
    }

    /// Whether the job should run.
    public enum DesiredState: String, Sendable, Hashable, Codable {
        case running = "Running"
        case suspended = "Suspended"
    }

    /// How state is carried across a redeploy.
    public enum UpgradeMode: String, Sendable, Hashable, Codable {
        /// Cancel, then start empty.
        case stateless = "Stateless"
        /// Stop with a savepoint, then start from it; never falls back to stateless.
        case savepoint = "Savepoint"
        /// Cancel, then start from the latest completed (retained) checkpoint.
        case lastState = "LastState"
    }

    /// How a deleted FlinkJob stops its Flink job.
    public enum DeletePolicy: String, Sendable, Hashable, Codable {
        case savepoint = "Savepoint"
        case cancel = "Cancel"
    }

    /// The program to run: exactly one of `jar`, `python`, `sql`.
    public struct Artifact: Sendable, Hashable, Codable {
        public var jar: Jar?
        public var python: Python?
        public var sql: SQL?
        /// `sha256:<64 lowercase hex>` of the artifact's bytes; checked before anything is uploaded.
        public var digest: String?
        public var signature: Signature?

        public struct Jar: Sendable, Hashable, Codable {
            public var uri: String
            public var entryClass: String?
            public init(uri: String, entryClass: String? = nil) {
                self.uri = uri
                self.entryClass = entryClass
            }
        }

        public struct Python: Sendable, Hashable, Codable {
            public var uri: String
            public var module: String?
            public init(uri: String, module: String? = nil) {
                self.uri = uri
                self.module = module
            }
        }

        public struct SQL: Sendable, Hashable, Codable {
            public var statements: [String]?
            public var configMapRef: ConfigMapKeyReference?
            public init(statements: [String]? = nil, configMapRef: ConfigMapKeyReference? = nil) {
                self.statements = statements
                self.configMapRef = configMapRef
            }
        }

        public struct ConfigMapKeyReference: Sendable, Hashable, Codable {
            public var name: String
            public var key: String
            public init(name: String, key: String) {
                self.name = name
                self.key = key
            }
        }

        public struct Signature: Sendable, Hashable, Codable {
            /// The author's own public key (in the FlinkJob's namespace); absent: the cluster's or the operator's
            /// trusted keys. A cluster that requires signatures trusts only those.
            public var publicKeySecretRef: SecretKeyReference?
            /// Base64 signature of the artifact's bytes.
            public var value: String?
            /// Where to fetch the signature from instead.
            public var uri: String?
            public init(publicKeySecretRef: SecretKeyReference? = nil, value: String? = nil, uri: String? = nil) {
                self.publicKeySecretRef = publicKeySecretRef
                self.value = value
                self.uri = uri
            }
        }

        public struct SecretKeyReference: Sendable, Hashable, Codable {
            public var name: String
            public var key: String
            public init(name: String, key: String) {
                self.name = name
                self.key = key
            }
        }

        public init(
            jar: Jar? = nil, python: Python? = nil, sql: SQL? = nil, digest: String? = nil,
            signature: Signature? = nil
        ) {
            self.jar = jar
            self.python = python
            self.sql = sql
            self.digest = digest
            self.signature = signature
        }
    }

    public struct Checkpointing: Sendable, Hashable, Codable {
        public var interval: String
        public var timeout: String?
        public var minPause: String?
        public var maxConcurrent: Int?
        public var mode: Mode

        public enum Mode: String, Sendable, Hashable, Codable {
            case exactlyOnce = "ExactlyOnce"
            case atLeastOnce = "AtLeastOnce"
        }

        public init(
            interval: String, timeout: String? = nil, minPause: String? = nil, maxConcurrent: Int? = nil,
            mode: Mode = .exactlyOnce
        ) {
            self.interval = interval
            self.timeout = timeout
            self.minPause = minPause
            self.maxConcurrent = maxConcurrent
            self.mode = mode
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            interval = try c.decode(String.self, forKey: .interval)
            timeout = try c.decodeIfPresent(String.self, forKey: .timeout)
            minPause = try c.decodeIfPresent(String.self, forKey: .minPause)
            maxConcurrent = try c.decodeIfPresent(Int.self, forKey: .maxConcurrent)
            mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .exactlyOnce
        }
    }

    public struct RestartStrategy: Sendable, Hashable, Codable {
        public var type: Kind
        public var attempts: Int?
        public var delay: String?

        public enum Kind: String, Sendable, Hashable, Codable {
            case none = "None"
            case fixedDelay = "FixedDelay"
            case exponentialDelay = "ExponentialDelay"
            case failureRate = "FailureRate"
        }

        public init(type: Kind, attempts: Int? = nil, delay: String? = nil) {
            self.type = type
            self.attempts = attempts
            self.delay = delay
        }
    }

    public struct Savepoints: Sendable, Hashable, Codable {
        public var directory: String?
        public var periodicInterval: String?
        public var historyLimit: Int
        public var maxAge: String?
        public var formatType: FormatType

        public enum FormatType: String, Sendable, Hashable, Codable {
            case canonical = "Canonical"
            case native = "Native"
        }

        public init(
            directory: String? = nil, periodicInterval: String? = nil, historyLimit: Int = 5, maxAge: String? = nil,
            formatType: FormatType = .canonical
        ) {
            self.directory = directory
            self.periodicInterval = periodicInterval
            self.historyLimit = historyLimit
            self.maxAge = maxAge
            self.formatType = formatType
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            directory = try c.decodeIfPresent(String.self, forKey: .directory)
            periodicInterval = try c.decodeIfPresent(String.self, forKey: .periodicInterval)
            historyLimit = try c.decodeIfPresent(Int.self, forKey: .historyLimit) ?? 5
            maxAge = try c.decodeIfPresent(String.self, forKey: .maxAge)
            formatType = try c.decodeIfPresent(FormatType.self, forKey: .formatType) ?? .canonical
        }
    }

    public struct Recovery: Sendable, Hashable, Codable {
        public var onFailure: OnFailure
        public var backoffLimit: Int

        public enum OnFailure: String, Sendable, Hashable, Codable {
            case never = "Never"
            case fromLatestCheckpoint = "FromLatestCheckpoint"
            case fromLatestSavepoint = "FromLatestSavepoint"
        }

        public init(onFailure: OnFailure = .fromLatestCheckpoint, backoffLimit: Int = 3) {
            self.onFailure = onFailure
            self.backoffLimit = backoffLimit
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            onFailure = try c.decodeIfPresent(OnFailure.self, forKey: .onFailure) ?? .fromLatestCheckpoint
            backoffLimit = try c.decodeIfPresent(Int.self, forKey: .backoffLimit) ?? 3
        }
    }

    public struct Health: Sendable, Hashable, Codable {
        public var maxCheckpointAge: String?
        /// Percent (1–100) of backpressured time of the worst subtask above which the job is Degraded.
        public var backpressureThreshold: Int?
        public var maxCheckpointFailures: Int?
        public init(maxCheckpointAge: String? = nil, backpressureThreshold: Int? = nil, maxCheckpointFailures: Int? = nil) {
            self.maxCheckpointFailures = maxCheckpointFailures
            self.maxCheckpointAge = maxCheckpointAge
            self.backpressureThreshold = backpressureThreshold
        }
    }

    public struct Rollback: Sendable, Hashable, Codable {
        public var enabled: Bool
        public var readinessTimeout: String

        public init(enabled: Bool = false, readinessTimeout: String = "5m") {
            self.enabled = enabled
            self.readinessTimeout = readinessTimeout
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? false
            readinessTimeout = try c.decodeIfPresent(String.self, forKey: .readinessTimeout) ?? "5m"
        }
    }

    public struct Batch: Sendable, Hashable, Codable {
        public var schedule: String?
        public var timeZone: String?
        public var concurrencyPolicy: ConcurrencyPolicy
        public var startingDeadlineSeconds: Int64?
        public var maxRuns: Int?
        public var activeDeadlineSeconds: Int64?
        public var ttlSecondsAfterFinished: Int64?
        public var successfulRunsHistoryLimit: Int
        public var failedRunsHistoryLimit: Int

        public enum ConcurrencyPolicy: String, Sendable, Hashable, Codable {
            case allow = "Allow"
            case forbid = "Forbid"
            case replace = "Replace"
        }

        public init(
            schedule: String? = nil, timeZone: String? = nil, concurrencyPolicy: ConcurrencyPolicy = .forbid,
            startingDeadlineSeconds: Int64? = nil, maxRuns: Int? = nil, activeDeadlineSeconds: Int64? = nil,
            ttlSecondsAfterFinished: Int64? = nil, successfulRunsHistoryLimit: Int = 3, failedRunsHistoryLimit: Int = 1
        ) {
            self.schedule = schedule
            self.timeZone = timeZone
            self.concurrencyPolicy = concurrencyPolicy
            self.startingDeadlineSeconds = startingDeadlineSeconds
            self.maxRuns = maxRuns
            self.activeDeadlineSeconds = activeDeadlineSeconds
            self.ttlSecondsAfterFinished = ttlSecondsAfterFinished
            self.successfulRunsHistoryLimit = successfulRunsHistoryLimit
            self.failedRunsHistoryLimit = failedRunsHistoryLimit
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            schedule = try c.decodeIfPresent(String.self, forKey: .schedule)
            timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
            concurrencyPolicy = try c.decodeIfPresent(ConcurrencyPolicy.self, forKey: .concurrencyPolicy) ?? .forbid
            startingDeadlineSeconds = try c.decodeIfPresent(Int64.self, forKey: .startingDeadlineSeconds)
            maxRuns = try c.decodeIfPresent(Int.self, forKey: .maxRuns)
            activeDeadlineSeconds = try c.decodeIfPresent(Int64.self, forKey: .activeDeadlineSeconds)
            ttlSecondsAfterFinished = try c.decodeIfPresent(Int64.self, forKey: .ttlSecondsAfterFinished)
            successfulRunsHistoryLimit = try c.decodeIfPresent(Int.self, forKey: .successfulRunsHistoryLimit) ?? 3
            failedRunsHistoryLimit = try c.decodeIfPresent(Int.self, forKey: .failedRunsHistoryLimit) ?? 1
        }
    }

    /// A spec with the CRD's defaults for everything not given.
    public init(
        clusterRef: ClusterReference = .init(), type: JobType = .streaming, artifact: Artifact, args: [String]? = nil,
        parallelism: Int = 1, flinkConfiguration: [String: String]? = nil, checkpointing: Checkpointing? = nil,
        restartStrategy: RestartStrategy? = nil, state: DesiredState = .running, upgradeMode: UpgradeMode = .savepoint,
        initialSavepointPath: String? = nil, allowNonRestoredState: Bool = false, savepoints: Savepoints? = nil,
        deletePolicy: DeletePolicy = .savepoint, recovery: Recovery = .init(), health: Health? = nil,
        rollback: Rollback = .init(), restartNonce: Int64? = nil, savepointNonce: Int64? = nil, batch: Batch? = nil
    ) {
        self.clusterRef = clusterRef
        self.type = type
        self.artifact = artifact
        self.args = args
        self.parallelism = parallelism
        self.flinkConfiguration = flinkConfiguration
        self.checkpointing = checkpointing
        self.restartStrategy = restartStrategy
        self.state = state
        self.upgradeMode = upgradeMode
        self.initialSavepointPath = initialSavepointPath
        self.allowNonRestoredState = allowNonRestoredState
        self.savepoints = savepoints
        self.deletePolicy = deletePolicy
        self.recovery = recovery
        self.health = health
        self.rollback = rollback
        self.restartNonce = restartNonce
        self.savepointNonce = savepointNonce
        self.batch = batch
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clusterRef = try c.decodeIfPresent(ClusterReference.self, forKey: .clusterRef) ?? .init()
        type = try c.decodeIfPresent(JobType.self, forKey: .type) ?? .streaming
        artifact = try c.decode(Artifact.self, forKey: .artifact)
        args = try c.decodeIfPresent([String].self, forKey: .args)
        parallelism = try c.decodeIfPresent(Int.self, forKey: .parallelism) ?? 1
        flinkConfiguration = try c.decodeIfPresent([String: String].self, forKey: .flinkConfiguration)
        checkpointing = try c.decodeIfPresent(Checkpointing.self, forKey: .checkpointing)
        restartStrategy = try c.decodeIfPresent(RestartStrategy.self, forKey: .restartStrategy)
        state = try c.decodeIfPresent(DesiredState.self, forKey: .state) ?? .running
        upgradeMode = try c.decodeIfPresent(UpgradeMode.self, forKey: .upgradeMode) ?? .savepoint
        initialSavepointPath = try c.decodeIfPresent(String.self, forKey: .initialSavepointPath)
        allowNonRestoredState = try c.decodeIfPresent(Bool.self, forKey: .allowNonRestoredState) ?? false
        savepoints = try c.decodeIfPresent(Savepoints.self, forKey: .savepoints)
        deletePolicy = try c.decodeIfPresent(DeletePolicy.self, forKey: .deletePolicy) ?? .savepoint
        recovery = try c.decodeIfPresent(Recovery.self, forKey: .recovery) ?? .init()
        health = try c.decodeIfPresent(Health.self, forKey: .health)
        rollback = try c.decodeIfPresent(Rollback.self, forKey: .rollback) ?? .init()
        restartNonce = try c.decodeIfPresent(Int64.self, forKey: .restartNonce)
        savepointNonce = try c.decodeIfPresent(Int64.self, forKey: .savepointNonce)
        batch = try c.decodeIfPresent(Batch.self, forKey: .batch)
    }
}
