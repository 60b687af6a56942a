import FlinkModel
import FlinkREST
import Testing

extension InMemoryFlink {
    /// A model cluster with `slots` slots on one TaskManager.
    static func fixture(
        slots: Int = 4, scheduler: Scheduler = .default, timings: Timings = Timings(), seed: UInt64 = 7,
        savepointDirectory: String? = "file:/flink/savepoints"
    ) -> InMemoryFlink {
        InMemoryFlink(
            configuration: Configuration(
                slotsPerTaskManager: slots, scheduler: scheduler, savepointDirectory: savepointDirectory,
                timings: timings),
            seed: seed)
    }

    /// Uploads a jar (no file is read) and returns its id.
    func uploadedJar(_ name: String = "streaming.jar") async throws(FlinkRESTError) -> String {
        try await uploadJar(at: "/nonexistent/\(name)", fileName: name).id
    }

    /// Runs `request` (from `jar`, else a fresh upload) and advances until every task runs.
    func runningJob(_ request: JarRunRequest, jar: String? = nil) async throws -> FlinkJobID {
        let jarID = if let jar { jar } else { try await uploadedJar() }
        let id = try await runJar(jarID, request)
        let running = advance(until: { $0.tasksRunning(id) }, within: .seconds(30))
        try #require(running, "job \(id) did not start:\n\(history)")
        return id
    }

    /// Whether job `id` is RUNNING with every task running.
    func tasksRunning(_ id: FlinkJobID) -> Bool {
        guard let job = job(id) else { return false }
        return job.state == .running && job.tasks.allRunning
    }

    /// The state of job `id` (`nil` when the JobManager does not know it).
    func state(_ id: FlinkJobID) -> FlinkJobState? {
        job(id)?.state
    }

    /// Advances until job `id` is in `state`, at most `limit`.
    @discardableResult
    func advance(untilJob id: FlinkJobID, is state: FlinkJobState, within limit: Duration = .seconds(60)) -> Bool {
        advance(until: { $0.state(id) == state }, within: limit)
    }

    /// Polls a savepoint operation until it ends, advancing model time (at most `limit`).
    func awaitSavepoint(_ id: FlinkJobID, _ trigger: FlinkTriggerID, within limit: Duration = .seconds(30))
        async throws -> SavepointStatus
    {
        var waited = Duration.zero
        while true {
            let status = try await savepointStatus(of: id, trigger: trigger)
            if status.isFinished || waited >= limit { return status }
            advance(by: .milliseconds(100))
            waited += .milliseconds(100)
        }
    }
}

extension JarRunRequest {
    /// A streaming job named `name` (`pipeline.name`), checkpointing every `interval` with retained checkpoints,
    /// like the operator submits.
    static func streaming(
        _ name: String = "default/job", jobID: FlinkJobID? = nil, parallelism: Int = 1,
        checkpointInterval: String? = "10000 ms"
    ) -> JarRunRequest {
        var configuration = [
            "pipeline.name": name,
            "execution.checkpointing.externalized-checkpoint-retention": "RETAIN_ON_CANCELLATION",
        ]
        if let checkpointInterval { configuration["execution.checkpointing.interval"] = checkpointInterval }
        return JarRunRequest(parallelism: parallelism, jobID: jobID, flinkConfiguration: configuration)
    }

    /// A batch job named `name`.
    static func batch(_ name: String = "default/batch", jobID: FlinkJobID? = nil) -> JarRunRequest {
        JarRunRequest(
            parallelism: 1, jobID: jobID,
            flinkConfiguration: ["pipeline.name": name, "execution.runtime-mode": "BATCH"])
    }

    /// The same request restoring from `path`.
    func restoring(from path: String, claimMode: ClaimMode? = nil, allowNonRestoredState: Bool? = nil) -> JarRunRequest {
        var copy = self
        copy.savepointPath = path
        copy.claimMode = claimMode
        copy.allowNonRestoredState = allowNonRestoredState
        return copy
    }

    /// The same request under job id `id`.
    func under(_ id: FlinkJobID) -> JarRunRequest {
        var copy = self
        copy.jobID = id
        return copy
    }

    /// The same request with `key` set to `value` in its Flink configuration.
    func with(_ key: String, _ value: String) -> JarRunRequest {
        var copy = self
        copy.flinkConfiguration = (copy.flinkConfiguration ?? [:]).merging([key: value]) { _, new in new }
        return copy
    }
}

extension FlinkJobID {
    /// A readable fixed id: `n` repeated to 32 hex digits.
    static func fixture(_ digit: Character) -> FlinkJobID {
        FlinkJobID(String(repeating: digit, count: 32))!
    }
}

extension FlinkTriggerID {
    /// A readable fixed trigger id.
    static func fixture(_ digit: Character) -> FlinkTriggerID {
        FlinkTriggerID(String(repeating: digit, count: 32))!
    }
}

extension FlinkRESTError {
    /// The case name, for comparing kinds.
    var kind: String {
        switch self {
        case .invalidRequest: "invalidRequest"
        case .unreachable: "unreachable"
        case .timeout: "timeout"
        case .cancelled: "cancelled"
        case .unauthorized: "unauthorized"
        case .notFound: "notFound"
        case .duplicateJob: "duplicateJob"
        case .badRequest: "badRequest"
        case .serverError: "serverError"
        case .throttled: "throttled"
        case .unexpectedResponse: "unexpectedResponse"
        }
    }
}

/// The error `body` throws, or `nil` when it succeeds (anything but a `FlinkRESTError` comes back as
/// `.invalidRequest` naming it, so a test comparing kinds fails).
func flinkError(_ body: () async throws -> Void) async -> FlinkRESTError? {
    do {
        try await body()
        return nil
    } catch let error as FlinkRESTError {
        return error
    } catch {
        return .invalidRequest("not a FlinkRESTError: \(error)")
    }
}
