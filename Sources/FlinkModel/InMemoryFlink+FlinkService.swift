import FlinkREST

/// The `FlinkService` calls, each answered from the model as Flink 2.3 would (through the client's error
/// mapping). Calls take no model time; mutating calls are recorded in `effects`.
extension InMemoryFlink {
    public func clusterOverview() async throws(FlinkRESTError) -> ClusterOverview {
        try perform(.clusterOverview) { $0.clusterOverview }
    }

    public func jobManagerConfiguration() async throws(FlinkRESTError) -> JobManagerConfiguration {
        try perform(.jobManagerConfiguration) { $0.jobManagerConfiguration }
    }

    public func jobsOverview() async throws(FlinkRESTError) -> [JobOverview] {
        try perform(.jobsOverview) { $0.jobsOverview }
    }

    public func jobStatus(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> FlinkJobState {
        try perform(.jobStatus) { state throws(FlinkRESTError) in try state.jobStatus(jobID) }
    }

    public func jobDetails(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobDetails {
        try perform(.jobDetails) { state throws(FlinkRESTError) in try state.jobDetails(jobID) }
    }

    public func jobExceptions(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExceptionHistory {
        try perform(.jobExceptions) { state throws(FlinkRESTError) in try state.jobExceptions(jobID) }
    }

    /// Like Flink's metric store: known names of a job that runs; empty for unknown, initializing and ended jobs.
    /// Names: `numRestarts`, `fullRestarts`, `uptime`, `numberOfCompletedCheckpoints`,
    /// `numberOfFailedCheckpoints`, `numberOfInProgressCheckpoints`, `totalNumberOfCheckpoints`,
    /// `lastCheckpointExternalPath`.
    public func jobMetrics(_ jobID: FlinkJobID, names: [String]) async throws(FlinkRESTError) -> [String: String] {
        try perform(.jobMetrics) { $0.jobMetrics(jobID, names: names) }
    }

    public func jobExecutionResult(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExecutionResultStatus {
        try perform(.jobExecutionResult) { state throws(FlinkRESTError) in try state.jobExecutionResult(jobID) }
    }

    /// Cancels a job: CANCELLING for `Timings.cancellation`, then CANCELED. A job that is ending or ended answers
    /// success and changes nothing; an unknown job is `notFound`.
    public func cancelJob(_ jobID: FlinkJobID) async throws(FlinkRESTError) {
        try perform(.cancelJob) { state throws(FlinkRESTError) in
            guard let index = state.jobManager.index(of: jobID) else {
                let error = FlinkAnswers.cancelNotFound(jobID)
                state.record(.cancelJob(jobID), .failed(error))
                throw error
            }
            state.record(.cancelJob(jobID), .accepted)
            state.cancel(index)
        }
    }

    public func checkpointStatistics(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> CheckpointStatistics? {
        try perform(.checkpointStatistics) { state throws(FlinkRESTError) in try state.checkpointStatistics(jobID) }
    }

    /// Triggers a savepoint (IN_PROGRESS for `Timings.savepoint`), idempotent per `triggerID`; with `cancelJob`
    /// the job ends CANCELED once it is written.
    public func triggerSavepoint(
        of jobID: FlinkJobID, targetDirectory: String?, cancelJob: Bool, formatType: SavepointFormatType?,
        triggerID: FlinkTriggerID?
    ) async throws(FlinkRESTError) -> FlinkTriggerID {
        try perform(.triggerSavepoint) { state throws(FlinkRESTError) in
            try state.triggerSavepoint(
                .triggerSavepoint(jobID, targetDirectory: targetDirectory, cancelJob: cancelJob, triggerID: triggerID),
                jobID: jobID, kind: cancelJob ? .savepointAndCancel : .savepoint, targetDirectory: targetDirectory,
                formatType: formatType, triggerID: triggerID)
        }
    }

    /// Stops a job with a savepoint, idempotent per `triggerID`: the job ends FINISHED once it is written, and
    /// keeps running if it fails. `drain` is recorded only.
    public func stopWithSavepoint(
        _ jobID: FlinkJobID, targetDirectory: String?, drain: Bool, formatType: SavepointFormatType?,
        triggerID: FlinkTriggerID?
    ) async throws(FlinkRESTError) -> FlinkTriggerID {
        try perform(.stopWithSavepoint) { state throws(FlinkRESTError) in
            try state.triggerSavepoint(
                .stopWithSavepoint(jobID, targetDirectory: targetDirectory, drain: drain, triggerID: triggerID),
                jobID: jobID, kind: .stop, targetDirectory: targetDirectory, formatType: formatType,
                triggerID: triggerID)
        }
    }

    public func savepointStatus(of jobID: FlinkJobID, trigger triggerID: FlinkTriggerID) async throws(FlinkRESTError)
        -> SavepointStatus
    {
        try perform(.savepointStatus) { state throws(FlinkRESTError) in
            try state.savepointStatus(of: jobID, trigger: triggerID)
        }
    }

    /// Deletes the snapshot at `path` from storage at once; the result is in `savepointDisposalStatus(trigger:)`
    /// (failed with `FileNotFoundException` for a missing path, as in Flink).
    public func disposeSavepoint(at path: String) async throws(FlinkRESTError) -> FlinkTriggerID {
        try perform(.disposeSavepoint) { $0.disposeSavepoint(at: path) }
    }

    /// `GET /savepoint-disposal/:triggerid` (not part of `FlinkService`): the result of a disposal.
    public func savepointDisposalStatus(trigger triggerID: FlinkTriggerID) async throws(FlinkRESTError)
        -> SavepointDisposalStatus
    {
        try perform(.disposeSavepoint) { state throws(FlinkRESTError) in
            try state.savepointDisposalStatus(trigger: triggerID)
        }
    }

    /// Stores a jar under `<uuid>_<fileName>` without reading `path` (it need not exist).
    public func uploadJar(at path: String, fileName: String?) async throws(FlinkRESTError) -> UploadedJar {
        try perform(.uploadJar) { state throws(FlinkRESTError) in try state.uploadJar(at: path, fileName: fileName) }
    }

    public func listJars() async throws(FlinkRESTError) -> [JarFileInfo] {
        try perform(.listJars) { $0.jarList }
    }

    public func deleteJar(_ jarID: String) async throws(FlinkRESTError) {
        try perform(.deleteJar) { state throws(FlinkRESTError) in try state.deleteJar(jarID) }
    }

    public func runJar(_ jarID: String, _ request: JarRunRequest) async throws(FlinkRESTError) -> FlinkJobID {
        try perform(.runJar) { state throws(FlinkRESTError) in try state.runJar(jarID, request) }
    }

    public func backpressure(of jobID: FlinkJobID, vertex vertexID: String) async throws(FlinkRESTError)
        -> VertexBackpressure
    {
        try perform(.backpressure) { $0.backpressure(of: jobID, vertex: vertexID) }
    }

    public func resourceRequirements(of jobID: FlinkJobID) async throws(FlinkRESTError) -> JobResourceRequirements {
        try perform(.resourceRequirements) { state throws(FlinkRESTError) in try state.resourceRequirements(of: jobID) }
    }

    public func updateResourceRequirements(of jobID: FlinkJobID, _ requirements: JobResourceRequirements)
        async throws(FlinkRESTError)
    {
        try perform(.updateResourceRequirements) { state throws(FlinkRESTError) in
            try state.updateResourceRequirements(of: jobID, requirements)
        }
    }
}
