/// The Flink REST operations the operator uses, as a seam: the real `FlinkRESTClient` implements it over HTTP, and
/// tests put a deterministic in-memory Flink model (or a fault-injecting decorator around either) behind it.
///
/// Contracts are the client's (see each `FlinkRESTClient` method): every call fails with a `FlinkRESTError` only;
/// reads are idempotent; a submission is idempotent only under a client-chosen job id (a repeat answers
/// `duplicateJob`); savepoint and stop triggers are idempotent only under a client-chosen trigger id. An
/// implementation must keep Flink's observable quirks that decisions depend on: a stop-with-savepoint ends the job
/// FINISHED, a cancel of a terminal job succeeds, an unknown job is `notFound`, a missing jar on run is `notFound`.
public protocol FlinkService: Sendable {
    /// The REST base URL the service talks to (recorded in status as where a job was deployed).
    var endpoint: String { get }

    // MARK: Cluster

    /// `GET /overview`: TaskManagers, slots, job counts, version.
    func clusterOverview() async throws(FlinkRESTError) -> ClusterOverview
    /// `GET /jobmanager/config`: the JobManager's effective configuration.
    func jobManagerConfiguration() async throws(FlinkRESTError) -> JobManagerConfiguration

    // MARK: Jobs

    /// `GET /jobs/overview`: every job the JobManager knows, with state and task counts.
    func jobsOverview() async throws(FlinkRESTError) -> [JobOverview]
    /// `GET /jobs/:id/status`: the job's current state (fresh, not cached).
    func jobStatus(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> FlinkJobState
    /// `GET /jobs/:id`: vertices, parallelism, task counts, times.
    func jobDetails(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobDetails
    /// `GET /jobs/:id/exceptions`: the failure history.
    func jobExceptions(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExceptionHistory
    /// `GET /jobs/:id/metrics?get=…`: job-level metric values by name (absent names are left out).
    func jobMetrics(_ jobID: FlinkJobID, names: [String]) async throws(FlinkRESTError) -> [String: String]
    /// `GET /jobs/:id/execution-result`: in progress, or the final result with the failure cause.
    func jobExecutionResult(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExecutionResultStatus
    /// `PATCH /jobs/:id?mode=cancel`: idempotent (a terminal job answers 202 too).
    func cancelJob(_ jobID: FlinkJobID) async throws(FlinkRESTError)
    /// `GET /jobs/:id/checkpoints`; `nil` when the job does not checkpoint.
    func checkpointStatistics(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> CheckpointStatistics?

    // MARK: Savepoints

    /// `POST /jobs/:id/savepoints`: triggers a savepoint (optionally cancelling the job) under `triggerID`.
    func triggerSavepoint(
        of jobID: FlinkJobID, targetDirectory: String?, cancelJob: Bool, formatType: SavepointFormatType?,
        triggerID: FlinkTriggerID?
    ) async throws(FlinkRESTError) -> FlinkTriggerID
    /// `POST /jobs/:id/stop`: stop-with-savepoint under `triggerID` (the job ends FINISHED).
    func stopWithSavepoint(
        _ jobID: FlinkJobID, targetDirectory: String?, drain: Bool, formatType: SavepointFormatType?,
        triggerID: FlinkTriggerID?
    ) async throws(FlinkRESTError) -> FlinkTriggerID
    /// `GET /jobs/:id/savepoints/:triggerid`: in progress, completed with a location, or failed with a cause.
    func savepointStatus(of jobID: FlinkJobID, trigger triggerID: FlinkTriggerID) async throws(FlinkRESTError)
        -> SavepointStatus
    /// `POST /savepoint-disposal`: disposes of the savepoint at `path` (asynchronously).
    func disposeSavepoint(at path: String) async throws(FlinkRESTError) -> FlinkTriggerID

    // MARK: Jars

    /// `POST /jars/upload`: uploads the file at `path` under `fileName`.
    func uploadJar(at path: String, fileName: String?) async throws(FlinkRESTError) -> UploadedJar
    /// `GET /jars`: the uploaded jars.
    func listJars() async throws(FlinkRESTError) -> [JarFileInfo]
    /// `DELETE /jars/:jarid`; `notFound` when it does not exist.
    func deleteJar(_ jarID: String) async throws(FlinkRESTError)
    /// `POST /jars/:jarid/run`: runs the program's `main()`; `duplicateJob` when the job id was used before,
    /// `notFound` when the jar does not exist.
    func runJar(_ jarID: String, _ request: JarRunRequest) async throws(FlinkRESTError) -> FlinkJobID

    // MARK: Scaling

    /// `GET /jobs/:id/vertices/:vid/backpressure`.
    func backpressure(of jobID: FlinkJobID, vertex vertexID: String) async throws(FlinkRESTError) -> VertexBackpressure
    /// `GET /jobs/:id/resource-requirements` (adaptive scheduler only).
    func resourceRequirements(of jobID: FlinkJobID) async throws(FlinkRESTError) -> JobResourceRequirements
    /// `PUT /jobs/:id/resource-requirements`: rescales in place (adaptive scheduler only).
    func updateResourceRequirements(of jobID: FlinkJobID, _ requirements: JobResourceRequirements)
        async throws(FlinkRESTError)
}

extension FlinkRESTClient: FlinkService {
    public var endpoint: String { baseURL }
}
