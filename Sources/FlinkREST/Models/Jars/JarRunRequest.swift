/// What `POST /jars/:jarid/run` starts: the program, its arguments and how it restores.
///
/// Every field is optional for Flink; `nil` fields are not sent.
public struct JarRunRequest: Codable, Hashable, Sendable {
    /// The program's main class; required when the jar's manifest names none.
    public var entryClass: String?
    /// The program arguments, one element per argument.
    public var programArguments: [String]?
    /// The job's default parallelism.
    public var parallelism: Int?
    /// The job id to submit under; with it, the run is idempotent (a repeat fails with `duplicateJob`).
    public var jobID: FlinkJobID?
    /// A savepoint or retained checkpoint to restore from.
    public var savepointPath: String?
    /// Whether state of operators missing from the new program may be dropped on restore.
    public var allowNonRestoredState: Bool?
    /// Who owns the restored snapshot's files.
    public var claimMode: ClaimMode?
    /// Per-job Flink configuration (`pipeline.name`, `restart-strategy.type`,
    /// `execution.checkpointing.externalized-checkpoint-retention`, …).
    public var flinkConfiguration: [String: String]?

    /// Creates a request.
    public init(
        entryClass: String? = nil,
        programArguments: [String]? = nil,
        parallelism: Int? = nil,
        jobID: FlinkJobID? = nil,
        savepointPath: String? = nil,
        allowNonRestoredState: Bool? = nil,
        claimMode: ClaimMode? = nil,
        flinkConfiguration: [String: String]? = nil
    ) {
        self.entryClass = entryClass
        self.programArguments = programArguments
        self.parallelism = parallelism
        self.jobID = jobID
        self.savepointPath = savepointPath
        self.allowNonRestoredState = allowNonRestoredState
        self.claimMode = claimMode
        self.flinkConfiguration = flinkConfiguration
    }

    enum CodingKeys: String, CodingKey {
        case entryClass
        case programArguments = "programArgsList"
        case parallelism
        case jobID = "jobId"
        case savepointPath
        case allowNonRestoredState
        case claimMode
        case flinkConfiguration
    }
}

/// The body of a successful run: the submitted job's id (and, since Flink 2.3, its application's id).
struct JarRunResponse: Codable {
    var jobid: FlinkJobID
    var applicationId: String?
}
