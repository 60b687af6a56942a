import CoreMetrics
import Metrics
import Prometheus

/// Wires swift-metrics to a Prometheus registry with the contract's histogram buckets.
///
/// Every module instruments through swift-metrics (`Counter`, `Gauge`, `Timer`, `Recorder`); with the factory
/// from `makeFactory(registry:)` a `Timer` (and an aggregating `Recorder`) becomes a Prometheus histogram whose
/// buckets are chosen by metric name: `deploymentDurationBuckets` for `flink_job_deployment_duration_seconds`,
/// `requestDurationBuckets` for every other duration (the reconcile, work-queue and client request metrics,
/// and any `Timer` not listed). Timers are exposed in seconds whatever their display unit.
public enum MetricsBootstrap {
    /// Buckets for how long a deployment takes (submit to RUNNING, or to FINISHED for short batch jobs):
    /// 0.1 s … 300 s.
    public static let deploymentDurationBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(180), .seconds(300),
    ]

    /// Buckets for request-like durations (a reconcile, a queue wait, an API call): 1 ms … 30 s.
    public static let requestDurationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// The contract's duration histograms and their buckets, by Prometheus metric name.
    public static let durationBucketsByMetric: [String: [Duration]] = [
        "flink_job_deployment_duration_seconds": deploymentDurationBuckets,
        "controller_runtime_reconcile_time_seconds": requestDurationBuckets,
        "workqueue_queue_duration_seconds": requestDurationBuckets,
        "workqueue_work_duration_seconds": requestDurationBuckets,
        "kubernetes_client_request_duration_seconds": requestDurationBuckets,
        "flink_client_request_duration_seconds": requestDurationBuckets,
    ]

    /// A swift-metrics factory that records into `registry` with the contract's buckets.
    ///
    /// `Timer`s use `durationBucketsByMetric` (default `requestDurationBuckets`); aggregating `Recorder`s whose
    /// name is listed there get the same buckets in seconds, other `Recorder`s keep swift-prometheus' defaults.
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = requestDurationBuckets
        factory.durationHistogramBuckets = durationBucketsByMetric
        factory.valueHistogramBuckets = durationBucketsByMetric.mapValues { $0.map(\.seconds) }
        return factory
    }

    /// Makes the factory for `registry` and installs it as the process-wide `MetricsSystem` factory.
    ///
    /// Call once, early in `main` (swift-metrics allows a single bootstrap per process; a second call traps).
    @discardableResult
    public static func bootstrap(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        let factory = makeFactory(registry: registry)
        MetricsSystem.bootstrap(factory)
        return factory
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
