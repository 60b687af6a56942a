extension MetricsBootstrap {
    /// `# HELP` texts for the operator's metrics, by Prometheus metric name.
    ///
    /// swift-metrics has no help text, so `/metrics` adds these to the families that have none
    /// (`MetricsExposition`); a family not listed here gets a generic text so that the output stays lint-clean
    /// (`promtool check metrics`). Names follow the operator contract; extra names used by modules today are
    /// listed too.
    public static let helpTexts: [String: String] = [
        // Seed metrics
        "flink_job_deployments_total": "Deployments of Flink jobs by outcome (status) and job type.",
        "flink_job_deployment_duration_seconds": "Time from submitting a Flink job until it runs (streaming) or finishes (batch).",
        "flink_active_jobs": "Flink jobs currently running, by job type.",
        "flink_reconciliation_errors_total": "Reconciliations of FlinkJobs that ended in an error.",
        "flink_cluster_health_status": "Health of each Flink session cluster (1 healthy, 0 not).",
        // Per job
        "flink_job_ready": "Whether the FlinkJob is Ready (1) or not (0).",
        "flink_job_checkpoint_age_seconds": "Seconds since the last completed checkpoint of the FlinkJob.",
        "flink_job_backpressure_ratio": "Highest backpressure ratio (0-1) over the FlinkJob's vertices.",
        "flink_job_restarts": "Restarts Flink reports for the FlinkJob's current job.",
        "flink_job_actions_total": "Actions the FlinkJob controller carried out, by action and outcome.",
        // Cluster
        "flink_cluster_circuit_breaker_state": "Circuit breaker state of each Flink session cluster (1 for the current state).",
        // controller-runtime style
        "controller_runtime_reconcile_total": "Reconciliations per controller, by result.",
        "controller_runtime_reconcile_errors_total": "Reconciliations per controller that returned an error.",
        "controller_runtime_reconcile_time_seconds": "Time a reconciliation took, per controller.",
        "controller_runtime_active_workers": "Workers currently reconciling, per controller.",
        "controller_runtime_event_write_failures_total": "Kubernetes Events that could not be written.",
        "controller_runtime_events_dropped_total": "Kubernetes Events dropped before being written.",
        "controller_runtime_events_recorded_total": "Kubernetes Events recorded.",
        "controller_runtime_reflector_lists_total": "Full lists made by the watch caches.",
        "controller_runtime_reflector_watches_total": "Watches started by the watch caches.",
        "controller_runtime_reflector_decode_failures_total": "Objects the watch caches could not decode.",
        "workqueue_depth": "Current depth of the work queue.",
        "workqueue_adds_total": "Items added to the work queue.",
        "workqueue_queue_duration_seconds": "Time an item waited in the work queue before being processed.",
        "workqueue_work_duration_seconds": "Time processing an item from the work queue took.",
        "workqueue_retries_total": "Items re-queued with rate limiting (retries).",
        "leader_election_master_status": "Whether this replica holds the leader lease (1) or not (0).",
        // Clients
        "kubernetes_client_requests_total": "Requests to the Kubernetes API, by verb and HTTP status code.",
        "kubernetes_client_request_duration_seconds": "Latency of requests to the Kubernetes API, by verb.",
        "flink_client_requests_total": "Requests to Flink REST APIs, by HTTP method and status code.",
        "flink_client_request_duration_seconds": "Latency of requests to Flink REST APIs, by HTTP method.",
        // Process (ProcessMetrics registers these with their help texts itself)
        "process_resident_memory_bytes": ProcessMetrics.Help.residentMemory,
        "process_virtual_memory_bytes": ProcessMetrics.Help.virtualMemory,
        "process_cpu_seconds_total": ProcessMetrics.Help.cpuSeconds,
        "process_start_time_seconds": ProcessMetrics.Help.startTime,
        "process_open_fds": ProcessMetrics.Help.openFDs,
        "process_max_fds": ProcessMetrics.Help.maxFDs,
    ]
}
