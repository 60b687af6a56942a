import Metrics
import OperatorServer
import Prometheus

/// A few contract metrics created through swift-metrics (label values pre-created at 0), and the exact text
/// `/metrics` must show for them.
enum SampleMetrics {
    /// Help texts used with the sample, short so that the expected text stays readable.
    static let helpTexts: [String: String] = [
        "flink_job_deployments_total": "Deployments by outcome and job type.",
        "flink_active_jobs": "Running jobs by type.",
        "flink_reconciliation_errors_total": "Failed reconciliations.",
        "flink_job_deployment_duration_seconds": "Deployment duration.",
        "controller_runtime_reconcile_time_seconds": "Reconcile duration.",
    ]

    /// Creates the sample metrics in `registry` through swift-metrics and records a few values.
    static func record(into registry: PrometheusCollectorRegistry) {
        let factory = MetricsBootstrap.makeFactory(registry: registry)
        for status in ["success", "failure"] {
            for jobType in ["streaming", "batch"] {
                _ = Counter(
                    label: "flink_job_deployments_total", dimensions: [("status", status), ("job_type", jobType)],
                    factory: factory)
            }
        }
        Counter(
            label: "flink_job_deployments_total", dimensions: [("status", "success"), ("job_type", "streaming")],
            factory: factory
        ).increment(by: 2)
        Gauge(label: "flink_active_jobs", dimensions: [("job_type", "streaming")], factory: factory).record(3)
        Gauge(label: "flink_active_jobs", dimensions: [("job_type", "batch")], factory: factory).record(0)
        Counter(label: "flink_reconciliation_errors_total", factory: factory).increment()
        Timer(label: "flink_job_deployment_duration_seconds", dimensions: [("job_type", "streaming")], factory: factory)
            .recordMilliseconds(1500)
        _ = Timer(label: "flink_job_deployment_duration_seconds", dimensions: [("job_type", "batch")], factory: factory)
        Timer(label: "controller_runtime_reconcile_time_seconds", dimensions: [("controller", "flinkjob")], factory: factory)
            .recordMilliseconds(3)
    }

    /// The exposition of the sample: families by name, series by labels, HELP from `helpTexts`.
    static let expectedText = """
        # HELP controller_runtime_reconcile_time_seconds Reconcile duration.
        # TYPE controller_runtime_reconcile_time_seconds histogram
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.001"} 0
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.0025"} 0
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.005"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.01"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.025"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.05"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.1"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.25"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="0.5"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="1.0"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="2.5"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="5.0"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="10.0"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="30.0"} 1
        controller_runtime_reconcile_time_seconds_bucket{controller="flinkjob",le="+Inf"} 1
        controller_runtime_reconcile_time_seconds_sum{controller="flinkjob"} 0.003
        controller_runtime_reconcile_time_seconds_count{controller="flinkjob"} 1
        # HELP flink_active_jobs Running jobs by type.
        # TYPE flink_active_jobs gauge
        flink_active_jobs{job_type="batch"} 0.0
        flink_active_jobs{job_type="streaming"} 3.0
        # HELP flink_job_deployment_duration_seconds Deployment duration.
        # TYPE flink_job_deployment_duration_seconds histogram
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="0.1"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="0.25"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="0.5"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="1.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="2.5"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="5.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="10.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="15.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="30.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="60.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="120.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="180.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="300.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="batch",le="+Inf"} 0
        flink_job_deployment_duration_seconds_sum{job_type="batch"} 0.0
        flink_job_deployment_duration_seconds_count{job_type="batch"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="0.1"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="0.25"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="0.5"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="1.0"} 0
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="2.5"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="5.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="10.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="15.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="30.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="60.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="120.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="180.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="300.0"} 1
        flink_job_deployment_duration_seconds_bucket{job_type="streaming",le="+Inf"} 1
        flink_job_deployment_duration_seconds_sum{job_type="streaming"} 1.5
        flink_job_deployment_duration_seconds_count{job_type="streaming"} 1
        # HELP flink_job_deployments_total Deployments by outcome and job type.
        # TYPE flink_job_deployments_total counter
        flink_job_deployments_total{status="failure",job_type="batch"} 0
        flink_job_deployments_total{status="failure",job_type="streaming"} 0
        flink_job_deployments_total{status="success",job_type="batch"} 0
        flink_job_deployments_total{status="success",job_type="streaming"} 2
        # HELP flink_reconciliation_errors_total Failed reconciliations.
        # TYPE flink_reconciliation_errors_total counter
        flink_reconciliation_errors_total 1

        """
}
