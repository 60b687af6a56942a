import Prometheus
import Synchronization

/// The standard `process_*` Prometheus metrics, read from `/proc/self` whenever `update()` is called — the
/// server calls it on every scrape, so there is no timer and the values are never stale.
///
/// Metrics: `process_resident_memory_bytes`, `process_virtual_memory_bytes`, `process_cpu_seconds_total`
/// (counter), `process_start_time_seconds`, `process_open_fds`, `process_max_fds` (only when limited).
/// They are registered with help texts on the registry given to `init`; making a second `ProcessMetrics` on the
/// same registry shares the same series.
public final class ProcessMetrics: Sendable {
    /// The `# HELP` texts of the process metrics.
    enum Help {
        static let residentMemory = "Resident memory size in bytes."
        static let virtualMemory = "Virtual memory size in bytes."
        static let cpuSeconds = "Total user and system CPU time spent in seconds."
        static let startTime = "Start time of the process since unix epoch in seconds."
        static let openFDs = "Number of open file descriptors."
        static let maxFDs = "Maximum number of open file descriptors."
    }

    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let cpuSeconds: Counter
    private let startTime: Gauge
    private let openFDs: Gauge
    private let registry: PrometheusCollectorRegistry
    private let maxFDs = Mutex<Gauge?>(nil)
    // The counter is set by reset + increment; the lock keeps two updates from interleaving.
    private let updating = Mutex(())

    /// Registers the process metrics on `registry` (values stay 0 until the first `update()`).
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        residentMemory = registry.makeGauge(
            descriptor: Self.descriptor("resident_memory", unit: "bytes", help: Help.residentMemory))
        virtualMemory = registry.makeGauge(
            descriptor: Self.descriptor("virtual_memory", unit: "bytes", help: Help.virtualMemory))
        cpuSeconds = registry.makeCounter(descriptor: Self.descriptor("cpu_seconds", unit: "total", help: Help.cpuSeconds))
        startTime = registry.makeGauge(descriptor: Self.descriptor("start_time", unit: "seconds", help: Help.startTime))
        openFDs = registry.makeGauge(descriptor: Self.descriptor("open_fds", unit: "", help: Help.openFDs))
    }

    /// `process_<name>_<unit>` (an empty unit adds nothing) with its help text.
    private static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "process", metricName: name, unitName: unit, helpText: help)
    }

    /// Reads `/proc/self` and sets the metrics; returns the reading.
    ///
    /// On failure the metrics keep their previous values and the error (`OperatorServerError`) is thrown.
    @discardableResult
    public func update() throws -> ProcessSnapshot {
        let snapshot = try ProcessSnapshot.current()
        updating.withLock { _ in
            residentMemory.set(Double(snapshot.residentMemoryBytes))
            virtualMemory.set(Double(snapshot.virtualMemoryBytes))
            // The kernel's total is authoritative; setting it (rather than adding deltas) avoids drift.
            cpuSeconds.reset()
            cpuSeconds.increment(by: snapshot.cpuSeconds)
            startTime.set(snapshot.startTimeSeconds)
            openFDs.set(Double(snapshot.openFileDescriptors))
            if let max = snapshot.maxFileDescriptors {
                let gauge = maxFDs.withLock { gauge in
                    if gauge == nil { gauge = registry.makeGauge(descriptor: Self.descriptor("max_fds", unit: "", help: Help.maxFDs)) }
                    return gauge
                }
                gauge?.set(Double(max))
            }
        }
        return snapshot
    }
}
