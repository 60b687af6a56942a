import FlinkREST

/// What real Flink 2.3 answers, as the `FlinkRESTClient` turns it into errors and failure causes.
///
/// Messages have the client's shape (the request first, then Flink's exception classes and messages trimmed like
/// `FlinkErrorText` does, see the fixtures in `Tests/FlinkRESTTests/Fixtures`), so code matching on substrings
/// (`DuplicateApplicationSubmissionException`, `does not exist`, `Cannot find checkpoint or savepoint`,
/// `FlinkJobNotFoundException`) behaves as against a real cluster.
enum FlinkAnswers {
    static let restHandler = "org.apache.flink.runtime.rest.handler.RestHandlerException"
    static let jobNotFoundClass = "org.apache.flink.runtime.messages.FlinkJobNotFoundException"
    static let frame = "\n\tat org.apache.flink.model.InMemoryFlink.answer(InMemoryFlink.java:0)\n"

    // MARK: Errors

    /// `GET /jobs/:id…` of a job the JobManager does not know (404).
    static func jobNotFound(_ request: String, _ jobID: FlinkJobID) -> FlinkRESTError {
        .notFound(
            "\(request): org.apache.flink.runtime.rest.NotFoundException: Job \(jobID) not found\n"
                + "Caused by: \(jobNotFoundClass): Could not find Flink job (\(jobID))")
    }

    /// `GET /jobs/:id/status` of an unknown job: Flink answers 500, the client says `notFound`.
    static func jobStatusNotFound(_ jobID: FlinkJobID) -> FlinkRESTError {
        .notFound("GET /jobs/\(jobID)/status: \(jobNotFoundClass): Could not find Flink job (\(jobID))")
    }

    /// `PATCH /jobs/:id?mode=cancel` of an unknown job (404).
    static func cancelNotFound(_ jobID: FlinkJobID) -> FlinkRESTError {
        .notFound(
            "PATCH /jobs/\(jobID)?mode=cancel: \(restHandler): Job could not be found.\n"
                + "Caused by: \(jobNotFoundClass): Could not find Flink job (\(jobID))")
    }

    /// `POST /jars/upload` of a file not named `*.jar` (400).
    static let notAJar = FlinkRESTError.badRequest("POST /jars/upload: \(restHandler): Only Jar files are allowed.")

    /// `DELETE /jars/:jarid` of a missing jar: Flink answers 400, the client says `notFound`.
    static func jarToDeleteMissing(_ jarID: String, directory: String) -> FlinkRESTError {
        .notFound("DELETE /jars/\(jarID): \(restHandler): File \(jarID) does not exist in \(directory).")
    }

    /// `POST /jars/:jarid/run` of a missing jar: Flink answers 500, the client says `notFound`.
    static func jarToRunMissing(_ jarID: String, directory: String) -> FlinkRESTError {
        let message = "\(restHandler): Jar file \(directory)/\(jarID) does not exist"
        return .notFound(
            "POST /jars/\(jarID)/run: java.util.concurrent.CompletionException: \(message)\nCaused by: \(message)")
    }

    /// `POST /jars/:jarid/run` naming an entry class the jar does not have (500).
    static func entryClassMissing(_ jarID: String, entryClass: String) -> FlinkRESTError {
        let invocation = "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class "
            + "'\(entryClass)' was not found in the jar file."
        return .serverError(
            status: 500,
            message: "POST /jars/\(jarID)/run: java.util.concurrent.CompletionException: \(invocation)\n"
                + "Caused by: \(invocation)\nCaused by: java.lang.ClassNotFoundException: \(entryClass)")
    }

    /// `POST /jars/:jarid/run` without `entryClass` of a jar whose manifest names none (500).
    static func noEntryClass(_ jarID: String) -> FlinkRESTError {
        let invocation = "org.apache.flink.client.program.ProgramInvocationException: Neither a 'Main-Class', nor a "
            + "'program-class' entry was found in the jar file."
        return .serverError(
            status: 500,
            message: "POST /jars/\(jarID)/run: java.util.concurrent.CompletionException: \(invocation)\n"
                + "Caused by: \(invocation)")
    }

    /// The 400 of a run whose program failed: `causes` are the `Caused by:` entries under Flink's wrappers.
    static func applicationFailed(_ jarID: String, causes: [String]) -> String {
        (["POST /jars/\(jarID)/run: \(restHandler): Could not execute application.",
          "org.apache.flink.util.FlinkRuntimeException: Could not execute application."] + causes)
            .joined(separator: "\nCaused by: ")
    }

    /// `main()` threw before submitting a job (400; no job, the id stays unused).
    static func mainFailed(_ jarID: String, message: String) -> FlinkRESTError {
        .badRequest(applicationFailed(jarID, causes: [
            "org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: \(message)",
        ]))
    }

    /// A run under a job id the JobManager has seen (400 `DuplicateApplicationSubmissionException`).
    static func duplicateJob(_ jarID: String, jobName: String) -> FlinkRESTError {
        .duplicateJob(applicationFailed(jarID, causes: executionFailed(jobName) + [
            "org.apache.flink.runtime.client.DuplicateApplicationSubmissionException: Application has already been "
                + "submitted.",
        ]))
    }

    /// A run whose `savepointPath` does not exist (400; Flink leaves a FAILED job behind).
    static func badSavepoint(_ jarID: String, jobName: String, path: String) -> FlinkRESTError {
        .badRequest(applicationFailed(jarID, causes: executionFailed(jobName) + [
            "org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.",
            missingSnapshot(path),
        ]))
    }

    /// A run restoring state of operators the new program lacks, without `allowNonRestoredState` (400; Flink
    /// leaves a FAILED job behind).
    static func nonRestoredState(_ jarID: String, jobName: String, path: String, vertexID: String) -> FlinkRESTError {
        .badRequest(applicationFailed(jarID, causes: executionFailed(jobName) + [
            "org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.",
            nonRestoredStateMessage(path: path, vertexID: vertexID),
        ]))
    }

    static func nonRestoredStateMessage(path: String, vertexID: String) -> String {
        "java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint \(path). Cannot map "
            + "checkpoint/savepoint state for operator \(vertexID) to the new program, because the operator is not "
            + "available in the new program. If you want to allow to skip this, you can set the "
            + "--allowNonRestoredState option on the CLI."
    }

    static func executionFailed(_ jobName: String) -> [String] {
        [
            "org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Failed to "
                + "execute job '\(jobName)'.",
            "org.apache.flink.util.FlinkException: Failed to execute job '\(jobName)'.",
        ]
    }

    static func missingSnapshot(_ path: String) -> String {
        "java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory '\(path)' on file system "
            + "'file'."
    }

    /// `GET /jobs/:id/savepoints/:triggerid` of an unknown (or expired, or forgotten) trigger (404).
    static func unknownTrigger(_ jobID: FlinkJobID, _ triggerID: FlinkTriggerID) -> FlinkRESTError {
        .notFound(
            "GET /jobs/\(jobID)/savepoints/\(triggerID): \(restHandler): There is no savepoint operation with "
                + "triggerId=\(triggerID) for job \(jobID).")
    }

    /// A savepoint without target directory on a cluster without a default one (400).
    static func noSavepointDirectory(_ request: String) -> FlinkRESTError {
        .badRequest(
            "\(request): \(restHandler): Config key [execution.checkpointing.savepoint-dir] is not set. Property "
                + "[targetDirectory] must be provided.")
    }

    /// Resource requirements asked of a job on a scheduler that cannot rescale in place (500).
    static func rescaleUnsupported(_ request: String, scheduler: String) -> FlinkRESTError {
        .serverError(
            status: 500,
            message: "\(request): java.lang.UnsupportedOperationException: The \(scheduler) does not support "
                + "changing the parallelism without a job restart. This feature is currently only expected to work "
                + "with the AdaptiveScheduler.")
    }

    /// A PUT of resource requirements Flink refuses (400), one problem per line.
    static func badRequirements(_ request: String, problems: [String]) -> FlinkRESTError {
        .badRequest("\(request): \(restHandler): " + problems.joined(separator: "\n"))
    }

    // MARK: Failure causes

    /// A Java exception with one frame, as Flink serializes `failure-cause`s.
    static func cause(_ className: String, _ message: String, causedBy: [String] = []) -> FlinkFailureCause {
        var trace = "\(className): \(message)" + frame
        for cause in causedBy { trace += "Caused by: \(cause)" + frame }
        return FlinkFailureCause(className: className, stackTrace: trace)
    }

    /// A savepoint of a job the JobManager does not run (finished, unknown, or forgotten).
    static func savepointJobNotFound(_ jobID: FlinkJobID) -> FlinkFailureCause {
        let notFound = "\(jobNotFoundClass): Could not find Flink job (\(jobID))"
        return cause("java.util.concurrent.CompletionException", notFound, causedBy: [notFound])
    }

    /// A savepoint that could not be written (the job keeps running).
    static func savepointIOFailure(_ message: String) -> FlinkFailureCause {
        let checkpoint = "org.apache.flink.runtime.checkpoint.CheckpointException: An Exception occurred while "
            + "triggering the checkpoint. IO-problem detected."
        return cause(
            "java.util.concurrent.CompletionException", checkpoint,
            causedBy: [checkpoint, "java.io.IOException: \(message)"])
    }

    /// A savepoint of a job whose tasks do not all run (starting, restarting, waiting for slots).
    static func savepointTasksNotRunning(_ jobID: FlinkJobID) -> FlinkFailureCause {
        let checkpoint = "org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint triggering task of job "
            + "\(jobID) is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required "
            + "tasks are currently running."
        return cause("java.util.concurrent.CompletionException", checkpoint, causedBy: [checkpoint])
    }

    /// A savepoint of a job still being initialized by the JobManager.
    static func savepointJobInitializing(_ jobID: FlinkJobID) -> FlinkFailureCause {
        let unavailable = "org.apache.flink.runtime.dispatcher.UnavailableDispatcherOperationException: Unable to get "
            + "JobMasterGateway for initializing job. The requested operation is not available while the JobManager "
            + "is initializing."
        return cause("java.util.concurrent.CompletionException", unavailable, causedBy: [unavailable])
    }

    /// A savepoint of a job without a checkpoint coordinator (batch jobs).
    static let savepointCheckpointingDisabled = cause(
        "java.lang.IllegalStateException",
        "Checkpointing disabled. You can enable it via the execution environment of your job.")

    /// A savepoint in progress when its job stopped running (cancelled, failed, restarted).
    static func savepointAborted(_ jobID: FlinkJobID) -> FlinkFailureCause {
        let checkpoint = "org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint Coordinator is "
            + "suspending."
        return cause("java.util.concurrent.CompletionException", checkpoint, causedBy: [checkpoint])
    }

    /// A disposal of a path that does not exist (or was disposed of already).
    static func disposalMissing(_ path: String) -> FlinkFailureCause {
        cause("org.apache.flink.util.FlinkException", "Could not dispose savepoint \(path).", causedBy: [missingSnapshot(path)])
    }

    /// A job whose JobMaster could not start (bad savepoint path, unmappable state).
    static func initializationFailed(_ detail: String) -> FlinkFailureCause {
        cause(
            "org.apache.flink.runtime.client.JobInitializationException", "Could not start the JobMaster.",
            causedBy: [detail])
    }

    /// The global failure of a job whose restart strategy gave up, caused by `userCause`.
    static func recoverySuppressed(strategy: String, userCause: String) -> FlinkFailureCause {
        cause("org.apache.flink.runtime.JobException", "Recovery is suppressed by \(strategy)", causedBy: [userCause])
    }
}
