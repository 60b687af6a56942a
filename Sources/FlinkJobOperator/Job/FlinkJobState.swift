/// Flink's job status (`JobStatus` in Flink), as `/jobs/:id/status` reports it.
public enum FlinkJobState: String, Sendable, Hashable, Codable, CaseIterable {
    case initializing = "INITIALIZING"
    case created = "CREATED"
    case running = "RUNNING"
    case failing = "FAILING"
    case failed = "FAILED"
    case cancelling = "CANCELLING"
    case canceled = "CANCELED"
    case finished = "FINISHED"
    case restarting = "RESTARTING"
    case suspended = "SUSPENDED"
    case reconciling = "RECONCILING"

    /// Whether the job has ended for good on this cluster (it will not run again under this id).
    public var isTerminal: Bool {
        switch self {
        case .failed, .canceled, .finished: true
        default: false
        }
    }

    /// Whether the job still occupies the cluster (anything not terminal; `SUSPENDED` only happens with HA).
    public var isActive: Bool { !isTerminal }
}
