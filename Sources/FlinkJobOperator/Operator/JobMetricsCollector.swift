import ControllerRuntime
import Foundation
import Kubernetes
import Metrics
import ServiceLifecycle
import Synchronization

/// What reconciles observed that status does not keep (backpressure), for the metrics collector.
public final class ObservedJobValues: Sendable {
    private let backpressure = Mutex<[ObjectKey: Double]>([:])

    public init() {}

    /// Records the highest backpressure ratio (0–1) last measured for the job, or forgets it (`nil`).
    public func setBackpressure(_ ratio: Double?, for key: ObjectKey) {
        backpressure.withLock { $0[key] = ratio }
    }

    func backpressureRatio(for key: ObjectKey) -> Double? {
        backpressure.withLock { $0[key] }
    }

    func forget(keepingOnly keys: Set<ObjectKey>) {
        backpressure.withLock { values in values = values.filter { keys.contains($0.key) } }
    }
}

/// Publishes the per-FlinkJob gauges from the cache every few seconds, on every replica (a standby reports the
/// same values, so alerts can take the max over replicas):
/// - `flink_active_jobs{job_type}` — FlinkJobs whose Flink job (or batch run) is running;
/// - `flink_job_ready{namespace,name,alert_on_failure}` — 1 when `Ready=True`;
/// - `flink_job_checkpoint_age_seconds{namespace,name}` — since the last completed checkpoint;
/// - `flink_job_backpressure_ratio{namespace,name,alert_on_backpressure}` — when measured (`health.backpressureThreshold` set);
/// - `flink_job_restarts{namespace,name}` — restarts Flink reports for the current job.
/// `alert_on_*` come from the FlinkJob's labels `flink.jobcontroller.io/alert-on-failure` and `…/alert-on-backpressure`.
/// Series of deleted FlinkJobs are removed.
public final class JobMetricsCollector: Service, Sendable {
    private let jobs: Store<FlinkJob>
    private let observed: ObservedJobValues
    private let interval: Duration
    private let factory: any MetricsFactory
    private let now: @Sendable () -> Date
    private let published = Mutex<[String: [(label: String, dimensions: [(String, String)])]]>([:])

    public init(
        jobs: Store<FlinkJob>, observed: ObservedJobValues, interval: Duration = .seconds(5),
        factory: any MetricsFactory = MetricsSystem.factory, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.jobs = jobs
        self.observed = observed
        self.interval = interval
        self.factory = factory
        self.now = now
        for type in FlinkJobSpec.JobType.allCases {
            Gauge(label: "flink_active_jobs", dimensions: [("job_type", type.rawValue.lowercased())], factory: factory).record(0)
        }
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.collect()
                try await Task.sleep(for: self.interval)
            }
        }
    }

    /// Publishes the current values once.
    public func collect() {
        var active: [FlinkJobSpec.JobType: Int] = [:]
        var current: [String: [(label: String, dimensions: [(String, String)])]] = [:]
        let all = jobs.list()
        for job in all {
            guard let namespace = job.metadata.namespace, let name = job.metadata.name, let key = job.objectKey else { continue }
            let identity = [("namespace", namespace), ("name", name)]
            let status = job.status
            var series: [(label: String, dimensions: [(String, String)])] = []
            if status?.job?.flinkState == "RUNNING" || status?.runs?.active?.isEmpty == false {
                active[job.spec.type, default: 0] += 1
            }
            let alertOnFailure = job.metadata.labels?["flink.jobcontroller.io/alert-on-failure"] == "true" ? "true" : "false"
            let ready = status?.conditions?.first { $0.type == "Ready" }?.status == .true
            series.append(record("flink_job_ready", identity + [("alert_on_failure", alertOnFailure)], ready ? 1 : 0))
            if let time = status?.checkpoints?.lastCompleted?.time {
                series.append(record("flink_job_checkpoint_age_seconds", identity, max(0, now().timeIntervalSince(time.date))))
            }
            if let ratio = observed.backpressureRatio(for: key) {
                let alert = job.metadata.labels?["flink.jobcontroller.io/alert-on-backpressure"] == "true" ? "true" : "false"
                series.append(record("flink_job_backpressure_ratio", identity + [("alert_on_backpressure", alert)], ratio))
            }
            if let restarts = status?.job?.restarts {
                series.append(record("flink_job_restarts", identity, Double(restarts)))
            }
            current["\(namespace)/\(name)"] = series
        }
        for type in FlinkJobSpec.JobType.allCases {
            Gauge(label: "flink_active_jobs", dimensions: [("job_type", type.rawValue.lowercased())], factory: factory)
                .record(active[type] ?? 0)
        }
        observed.forget(keepingOnly: Set(all.compactMap(\.objectKey)))
        // Remove series that are gone (deleted jobs, changed alert labels, no longer measured values).
        let stale = published.withLock { published -> [(label: String, dimensions: [(String, String)])] in
            defer { published = current }
            return published.flatMap { job, old in
                let now = current[job] ?? []
                return old.filter { candidate in
                    !now.contains { $0.label == candidate.label && $0.dimensions.elementsEqual(candidate.dimensions, by: ==) }
                }
            }
        }
        for series in stale {
            Gauge(label: series.label, dimensions: series.dimensions, factory: factory).destroy()
        }
    }

    private func record(_ label: String, _ dimensions: [(String, String)], _ value: Double) -> (label: String, dimensions: [(String, String)]) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
        return (label, dimensions)
    }
}
