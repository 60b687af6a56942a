/// What a program does when a jar is run, for tests that need more than a well-behaved streaming job.
///
/// Chosen per run by the most recently registered `ProgramSelector` that matches (`InMemoryFlink.setProgram`);
/// unmatched runs get `ProgramBehaviour()`: `main()` submits one job of two vertices that runs until stopped
/// (streaming) or for `Timings.batchRun` (batch).
public struct ProgramBehaviour: Sendable, Hashable {
    /// A failure of the job's tasks while running.
    public struct Failure: Sendable, Hashable {
        /// How long after all tasks run the failure happens (at least 1 ms).
        public var after: Duration
        /// The user exception's class.
        public var exceptionClass: String
        /// The user exception's message.
        public var message: String
        /// How many runs (first start and restarts) fail; `nil`: every run.
        public var runs: Int?

        /// Creates a failure.
        public init(
            after: Duration, exceptionClass: String = "java.lang.RuntimeException", message: String, runs: Int? = nil
        ) {
            self.after = after
            self.exceptionClass = exceptionClass
            self.message = message
            self.runs = runs
        }
    }

    /// `main()` throws this before submitting: the run answers `badRequest` with it; no job, the id stays unused.
    public var mainFailure: String?
    /// The entry class is not in the jar: the run answers `serverError` 500.
    public var entryClassMissing: Bool
    /// The job's tasks fail while running; the job's restart strategy decides between RESTARTING and FAILED.
    public var failure: Failure?
    /// The name the program gives its job; it wins over `pipeline.name`, as in Flink.
    public var jobName: String?
    /// How long a batch job runs (`nil`: `Timings.batchRun`).
    public var batchRun: Duration?
    /// The job graph's vertex names, source first; vertex ids derive from them, so equal names restore each
    /// other's savepoints.
    public var vertexNames: [String]

    /// The default vertices: a source and a keyed sink, like the project's test StreamingJob.
    public static let defaultVertexNames = ["Source: generator", "count-per-key -> discard: Writer"]

    /// Creates a behaviour; the defaults are a well-behaved program.
    public init(
        mainFailure: String? = nil,
        entryClassMissing: Bool = false,
        failure: Failure? = nil,
        jobName: String? = nil,
        batchRun: Duration? = nil,
        vertexNames: [String] = ProgramBehaviour.defaultVertexNames
    ) {
        self.mainFailure = mainFailure
        self.entryClassMissing = entryClassMissing
        self.failure = failure
        self.jobName = jobName
        self.batchRun = batchRun
        self.vertexNames = vertexNames.isEmpty ? ProgramBehaviour.defaultVertexNames : vertexNames
    }

    /// A program whose `main()` throws `message` before submitting.
    public static func failingMain(_ message: String) -> ProgramBehaviour {
        ProgramBehaviour(mainFailure: message)
    }

    /// A program whose tasks fail `after` all run, on every run or the first `runs`.
    public static func failing(after: Duration, message: String, runs: Int? = nil) -> ProgramBehaviour {
        ProgramBehaviour(failure: Failure(after: after, message: message, runs: runs))
    }
}

/// Which runs a `ProgramBehaviour` applies to.
public enum ProgramSelector: Sendable, Hashable {
    /// Runs whose (explicit or manifest) entry class is this.
    case entryClass(String)
    /// Runs of jars whose uploaded file name ends with this (e.g. `streaming.jar` for the operator's
    /// `fjc-<digest>-streaming.jar`).
    case jarNameSuffix(String)

    func matches(entryClass: String?, jarName: String) -> Bool {
        switch self {
        case .entryClass(let name): entryClass == name
        case .jarNameSuffix(let suffix): jarName.hasSuffix(suffix)
        }
    }
}
