import FlinkREST

extension InMemoryFlink {
    /// Which scheduler the cluster's streaming jobs run on (`jobmanager.scheduler`).
    public enum Scheduler: String, Sendable, Hashable {
        /// Flink's default scheduler: a job needs all its slots at once (else it waits RUNNING with tasks
        /// SCHEDULED); `resource-requirements` answers 500.
        case `default`
        /// The adaptive scheduler: a job runs with the slots it gets and rescales in place through
        /// `PUT /jobs/:id/resource-requirements`.
        case adaptive
    }

    /// The cluster the model pretends to be: its size, scheduler, directories and timings.
    ///
    /// Every value has a default matching the local test clusters (`scripts/flink-session.sh`, 1 TaskManager with
    /// 4 slots, Flink 2.3.0), so `Configuration()` is a usable session cluster.
    public struct Configuration: Sendable {
        /// The REST URL reported as `endpoint`.
        public var endpoint: String
        /// Registered TaskManagers.
        public var taskManagers: Int
        /// Task slots per TaskManager (`taskmanager.numberOfTaskSlots`).
        public var slotsPerTaskManager: Int
        /// The streaming scheduler (batch jobs always run on the AdaptiveBatch scheduler).
        public var scheduler: Scheduler
        /// The cluster's `execution.checkpointing.dir`; a job's own setting wins.
        public var checkpointDirectory: String
        /// The cluster's `execution.checkpointing.savepoint-dir`; `nil` makes savepoints without a target directory
        /// a 400, as in Flink.
        public var savepointDirectory: String?
        /// Where uploaded jars live (`<web.upload.dir>/flink-web-upload`).
        public var uploadDirectory: String
        /// `parallelism.default`, for runs that name no parallelism.
        public var defaultParallelism: Int
        /// Every vertex's max parallelism (Flink's default for small jobs is 128).
        public var maxParallelism: Int
        /// The `Main-Class` of every uploaded jar's manifest (listed as its entry point and used when a run names no
        /// entry class); `nil` models jars without one. Per-jar overrides: `InMemoryFlink.setManifestEntryClass`.
        public var manifestEntryClass: String?
        /// The model clock's start, in epoch milliseconds.
        public var startTime: Int64
        /// How long things take in model time.
        public var timings: Timings
        /// The backpressure ratio of every subtask unless set per job (0 = none).
        public var defaultBackpressureRatio: Double
        /// `jobmanager.rpc.address`.
        public var jobManagerAddress: String
        /// `jobmanager.rpc.port`.
        public var jobManagerPort: Int
        /// More keys for `GET /jobmanager/config` (they win over the model's own).
        public var additionalConfiguration: [String: String]

        /// Creates a configuration; see each property for its meaning.
        public init(
            endpoint: String = "http://flink-model.test:8081",
            taskManagers: Int = 1,
            slotsPerTaskManager: Int = 4,
            scheduler: Scheduler = .default,
            checkpointDirectory: String = "file:/flink/checkpoints",
            savepointDirectory: String? = "file:/flink/savepoints",
            uploadDirectory: String = "/flink/upload/flink-web-upload",
            defaultParallelism: Int = 1,
            maxParallelism: Int = 128,
            manifestEntryClass: String? = "org.example.StreamingJob",
            startTime: Int64 = 1_800_000_000_000,
            timings: Timings = Timings(),
            defaultBackpressureRatio: Double = 0,
            jobManagerAddress: String = "127.0.0.1",
            jobManagerPort: Int = 6123,
            additionalConfiguration: [String: String] = [:]
        ) {
            self.endpoint = endpoint
            self.taskManagers = taskManagers
            self.slotsPerTaskManager = slotsPerTaskManager
            self.scheduler = scheduler
            self.checkpointDirectory = checkpointDirectory
            self.savepointDirectory = savepointDirectory
            self.uploadDirectory = uploadDirectory
            self.defaultParallelism = defaultParallelism
            self.maxParallelism = maxParallelism
            self.manifestEntryClass = manifestEntryClass
            self.startTime = startTime
            self.timings = timings
            self.defaultBackpressureRatio = defaultBackpressureRatio
            self.jobManagerAddress = jobManagerAddress
            self.jobManagerPort = jobManagerPort
            self.additionalConfiguration = additionalConfiguration
        }

        /// All task slots of the cluster.
        public var totalSlots: Int { taskManagers * slotsPerTaskManager }
    }

    /// How long things take in model time. Defaults follow what the local Flink 2.3 clusters showed
    /// (`docs/flink-rest-notes.md`, "Job timings"); `.immediate` makes every transition instantaneous.
    public struct Timings: Sendable, Hashable {
        /// INITIALIZING (the JobMaster starting, restoring the savepoint) before CREATED.
        public var jobInitialization: Duration
        /// CREATED (slots being requested) before RUNNING.
        public var scheduling: Duration
        /// Tasks DEPLOYING before RUNNING (also after a restart or rescale).
        public var taskDeployment: Duration
        /// How long a batch job's tasks run before it is FINISHED (a program's own setting wins).
        public var batchRun: Duration
        /// A savepoint or stop-with-savepoint IN_PROGRESS before it completes.
        public var savepoint: Duration
        /// CANCELLING before CANCELED (zero: cancelled at once).
        public var cancellation: Duration
        /// The restart delay when a job's restart strategy names none.
        public var restartDelay: Duration
        /// From an accepted `PUT resource-requirements` (or free slots an adaptive job can use) to the rescale.
        public var rescale: Duration
        /// From all tasks running until backpressure is measured (Flink: metrics refresh every ≈10 s).
        public var backpressureWarmUp: Duration
        /// How long a job waits for slots before it fails (`slot.request.timeout`, adaptive resource wait).
        public var slotRequestTimeout: Duration
        /// How long an ended job stays listed (`jobstore.expiration-time`); its id stays used until a JobManager
        /// restart.
        public var jobRetention: Duration
        /// How long a savepoint or disposal result stays queryable after it ended (`rest.async.store-duration`).
        public var operationRetention: Duration

        /// Creates timings; see each property for its meaning.
        public init(
            jobInitialization: Duration = .milliseconds(300),
            scheduling: Duration = .milliseconds(100),
            taskDeployment: Duration = .milliseconds(400),
            batchRun: Duration = .seconds(3),
            savepoint: Duration = .milliseconds(300),
            cancellation: Duration = .milliseconds(100),
            restartDelay: Duration = .seconds(1),
            rescale: Duration = .seconds(1),
            backpressureWarmUp: Duration = .seconds(10),
            slotRequestTimeout: Duration = .seconds(300),
            jobRetention: Duration = .seconds(3600),
            operationRetention: Duration = .seconds(300)
        ) {
            self.jobInitialization = jobInitialization
            self.scheduling = scheduling
            self.taskDeployment = taskDeployment
            self.batchRun = batchRun
            self.savepoint = savepoint
            self.cancellation = cancellation
            self.restartDelay = restartDelay
            self.rescale = rescale
            self.backpressureWarmUp = backpressureWarmUp
            self.slotRequestTimeout = slotRequestTimeout
            self.jobRetention = jobRetention
            self.operationRetention = operationRetention
        }

        /// Every transition instantaneous (a job runs when `runJar` returns, savepoints complete when triggered,
        /// batch jobs finish at once); retention and timeouts keep their defaults.
        public static let immediate = Timings(
            jobInitialization: .zero, scheduling: .zero, taskDeployment: .zero, batchRun: .zero, savepoint: .zero,
            cancellation: .zero, restartDelay: .zero, rescale: .zero, backpressureWarmUp: .zero)
    }
}
