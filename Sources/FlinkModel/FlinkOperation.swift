/// The operations of `FlinkService`, by name: what the effect log records and what fault rules select.
public enum FlinkOperation: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case clusterOverview
    case jobManagerConfiguration
    case jobsOverview
    case jobStatus
    case jobDetails
    case jobExceptions
    case jobMetrics
    case jobExecutionResult
    case cancelJob
    case checkpointStatistics
    case triggerSavepoint
    case stopWithSavepoint
    case savepointStatus
    case disposeSavepoint
    case uploadJar
    case listJars
    case deleteJar
    case runJar
    case backpressure
    case resourceRequirements
    case updateResourceRequirements

    /// Whether the operation changes Flink (uploads, runs, cancels, triggers, disposes, deletes, rescales); the
    /// others only read.
    public var isMutating: Bool {
        switch self {
        case .cancelJob, .triggerSavepoint, .stopWithSavepoint, .disposeSavepoint, .uploadJar, .deleteJar, .runJar,
            .updateResourceRequirements:
            true
        case .clusterOverview, .jobManagerConfiguration, .jobsOverview, .jobStatus, .jobDetails, .jobExceptions,
            .jobMetrics, .jobExecutionResult, .checkpointStatistics, .savepointStatus, .listJars, .backpressure,
            .resourceRequirements:
            false
        }
    }

    /// The REST request as the client names it in error messages, with placeholders (`POST /jars/:jarid/run`).
    public var requestLine: String {
        switch self {
        case .clusterOverview: "GET /overview"
        case .jobManagerConfiguration: "GET /jobmanager/config"
        case .jobsOverview: "GET /jobs/overview"
        case .jobStatus: "GET /jobs/:jobid/status"
        case .jobDetails: "GET /jobs/:jobid"
        case .jobExceptions: "GET /jobs/:jobid/exceptions"
        case .jobMetrics: "GET /jobs/:jobid/metrics"
        case .jobExecutionResult: "GET /jobs/:jobid/execution-result"
        case .cancelJob: "PATCH /jobs/:jobid?mode=cancel"
        case .checkpointStatistics: "GET /jobs/:jobid/checkpoints"
        case .triggerSavepoint: "POST /jobs/:jobid/savepoints"
        case .stopWithSavepoint: "POST /jobs/:jobid/stop"
        case .savepointStatus: "GET /jobs/:jobid/savepoints/:triggerid"
        case .disposeSavepoint: "POST /savepoint-disposal"
        case .uploadJar: "POST /jars/upload"
        case .listJars: "GET /jars"
        case .deleteJar: "DELETE /jars/:jarid"
        case .runJar: "POST /jars/:jarid/run"
        case .backpressure: "GET /jobs/:jobid/vertices/:vertexid/backpressure"
        case .resourceRequirements: "GET /jobs/:jobid/resource-requirements"
        case .updateResourceRequirements: "PUT /jobs/:jobid/resource-requirements"
        }
    }

    public var description: String { rawValue }
}
