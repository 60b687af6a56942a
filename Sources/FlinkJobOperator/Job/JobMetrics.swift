import Metrics

/// The FlinkJob controller's own metrics (the seed names), created up front so every label value exports 0.
///
/// - `flink_job_deployments_total{status,job_type}`: submissions, `status` = success | failure;
/// - `flink_job_deployment_duration_seconds{job_type}`: how long a submission call took;
/// - `flink_reconciliation_errors_total`: reconciles that ended in an error (retried with backoff);
/// - `flink_job_actions_total{action,outcome}`: every Flink-side action and its outcome.
public struct JobMetrics: Sendable {
    let deployments: [String: Counter]
    let deploymentDuration: [String: Timer]
    let reconciliationErrors: Counter
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        var deployments: [String: Counter] = [:]
        var durations: [String: Timer] = [:]
        for type in FlinkJobSpec.JobType.allCases {
            let jobType = type.rawValue.lowercased()
            for status in ["success", "failure"] {
                deployments["\(status)/\(jobType)"] = Counter(
                    label: "flink_job_deployments_total", dimensions: [("status", status), ("job_type", jobType)],
                    factory: factory)
            }
            durations[jobType] = Timer(
                label: "flink_job_deployment_duration_seconds", dimensions: [("job_type", jobType)],
                preferredDisplayUnit: .seconds, factory: factory)
        }
        self.deployments = deployments
        deploymentDuration = durations
        reconciliationErrors = Counter(label: "flink_reconciliation_errors_total", factory: factory)
    }

    /// Counts an action performed by the executor.
    func record(action: JobAction, outcome: JobActionOutcome, jobType: FlinkJobSpec.JobType, duration: Duration) {
        let type = jobType.rawValue.lowercased()
        Counter(
            label: "flink_job_actions_total", dimensions: [("action", action.name), ("outcome", outcome.label)],
            factory: factory
        ).increment()
        guard case .deploy = action else { return }
        let success: Bool
        switch outcome {
        case .submitted: success = true
        case .unreachable, .submissionInDoubt, .jarMissing: return
        default: success = false
        }
        deployments["\(success ? "success" : "failure")/\(type)"]?.increment()
        if success { deploymentDuration[type]?.recordNanoseconds(Int64(duration.secondsDouble * 1e9)) }
    }
}

extension JobActionOutcome {
    var label: String {
        switch self {
        case .done: "done"
        case .prepared: "prepared"
        case .submitted(let adopted): adopted ? "adopted" : "submitted"
        case .submissionFailed: "submission_failed"
        case .submissionInDoubt: "submission_in_doubt"
        case .jarMissing: "jar_missing"
        case .artifactFailed: "artifact_failed"
        case .savepointTriggerFailed: "savepoint_trigger_failed"
        case .rescaleFailed: "rescale_failed"
        case .unreachable: "unreachable"
        }
    }
}
