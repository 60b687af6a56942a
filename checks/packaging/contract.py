"""Facts of the operator contract (the lead's CLI, endpoints, metrics and RBAC) the packaging must match."""

# Cluster-wide permissions: (apiGroup, resource) -> verbs.
# Exactly what the operator uses (the end-to-end tests run the operator with these rules and no more): no
# `update` of flinkjobs (finalizers are JSON patches), no status `patch` or `get` (status is replaced whole), no
# core-v1 events (events.k8s.io only), ConfigMaps only by `get` (read once per deploy, never listed or watched);
# `delete` of flinkjobs for batch jobs past their ttlSecondsAfterFinished.
CLUSTER_RULES = {
    ("flink.jobcontroller.io", "flinkjobs"): {"get", "list", "watch", "patch", "delete"},
    ("flink.jobcontroller.io", "flinkjobs/status"): {"update"},
    ("flink.jobcontroller.io", "flinksessionclusters"): {"get", "list", "watch"},
    ("flink.jobcontroller.io", "flinksessionclusters/status"): {"update"},
    ("", "namespaces"): {"list", "watch"},
    ("events.k8s.io", "events"): {"create", "patch"},
    ("", "configmaps"): {"get"},
}

# Leader election, in the operator's namespace only.
LEASE_RULES = {("coordination.k8s.io", "leases"): {"get", "create", "update"}}

# Secrets, only in the configured namespaces.
SECRET_RULES = {("", "secrets"): {"get", "list", "watch"}}

HEALTH_PATHS = {"liveness": "/health/live", "readiness": "/health/ready", "startup": "/health/startup"}

RUN_USER = 65532
CONFIG_PATH = "/etc/flink-job-controller/config.yaml"
IMAGE_REPOSITORY = "ghcr.io/flink-job-controller/flink-job-controller"
BINARY = "/usr/local/bin/flink-job-controller"
SQL_RUNNER_JAR = "/opt/flink-job-controller/sql-runner.jar"
PYTHON_DRIVER_JAR = "/opt/flink-job-controller/flink-python.jar"
ARTIFACT_CACHE = "/tmp/flink-job-controller/artifacts"

# Top-level keys of the operator's YAML config file, and the keys of each section.
CONFIG_KEYS = {
    "kubernetes": {"kubeconfig", "context", "inCluster"},
    "watch": {"namespaces", "labelSelector"},
    "controller": {"workers", "steadyRequeue", "progressRequeue"},
    "leaderElection": {"enabled", "namespace", "leaseName", "leaseDuration", "renewDeadline", "retryPeriod"},
    "server": {"listen"},
    "log": {"level", "format"},
    "artifacts": {"directories", "cacheDirectory", "maxDownloadBytes", "maxCacheBytes", "sqlRunnerJar", "pythonDriverJar", "egress", "trustedKeyFiles"},
    "flink": {"requestTimeout"},
    "events": {"clusterScopedNamespace"},
    # Not in the contract's list yet; the operator reads it (Sources/flink-job-controller/OperatorConfiguration.swift):
    # the namespaces whose Secrets it caches, default its own namespace. The chart keeps it equal to the RBAC grant.
    "secrets": {"namespaces"},
}

# Every metric the contract names (Prometheus names; histograms without their _bucket/_sum/_count series).
METRICS = {
    "flink_job_deployments_total", "flink_job_deployment_duration_seconds", "flink_active_jobs",
    "flink_reconciliation_errors_total", "flink_cluster_health_status",
    "flink_job_ready", "flink_job_checkpoint_age_seconds", "flink_job_backpressure_ratio", "flink_job_restarts",
    "flink_cluster_circuit_breaker_state",
    "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total",
    "controller_runtime_reconcile_time_seconds", "controller_runtime_active_workers",
    "workqueue_depth", "workqueue_adds_total", "workqueue_queue_duration_seconds",
    "workqueue_work_duration_seconds", "workqueue_retries_total",
    "leader_election_master_status",
    "kubernetes_client_requests_total", "kubernetes_client_request_duration_seconds",
    "flink_client_requests_total", "flink_client_request_duration_seconds",
    "process_resident_memory_bytes", "process_cpu_seconds_total", "process_start_time_seconds",
}

# Label values the shipped alerts select FlinkJobs by (from the FlinkJob labels
# flink.jobcontroller.io/alert-on-failure and alert-on-backpressure).
ALERT_SELECTORS = {"FlinkJobNotReady": ("alert_on_failure", "true"), "FlinkJobBackpressured": ("alert_on_backpressure", "true")}

# Alerts the brief requires (seed alerts first) and the metric each must use.
REQUIRED_ALERTS = {
    "JobDeploymentFailure": "flink_job_deployments_total",
    "ReconciliationErrors": "flink_reconciliation_errors_total",
    "FlinkClusterUnhealthy": "flink_cluster_health_status",
    "FlinkJobNotReady": "flink_job_ready",
    "FlinkJobBackpressured": "flink_job_backpressure_ratio",
    "FlinkJobCheckpointsStale": "flink_job_checkpoint_age_seconds",
    "OperatorNoLeader": "leader_election_master_status",
    "OperatorWorkQueueBacklog": "workqueue_depth",
}
