#if canImport(Glibc)
import Glibc
#endif

/// One reading of this process' resources from Linux `/proc/self` (no shelling out, no Foundation).
///
/// Use `ProcessSnapshot.current()` for an ad-hoc reading (for example the operator's RSS in a benchmark);
/// `ProcessMetrics` exposes the same numbers as Prometheus metrics.
public struct ProcessSnapshot: Sendable, Hashable {
    /// Resident set size in bytes (`rss` of `/proc/self/stat` × page size).
    public var residentMemoryBytes: Int
    /// Peak resident set size in bytes (`VmHWM` of `/proc/self/status`); nil when the kernel does not report it.
    public var peakResidentMemoryBytes: Int?
    /// Virtual memory size in bytes (`vsize` of `/proc/self/stat`).
    public var virtualMemoryBytes: Int
    /// User plus system CPU time in seconds, at clock-tick resolution (usually 10 ms).
    public var cpuSeconds: Double
    /// When the process started, in seconds since the Unix epoch (boot time + `starttime`).
    public var startTimeSeconds: Double
    /// Open file descriptors (entries of `/proc/self/fd`, not counting the one used to list them).
    public var openFileDescriptors: Int
    /// The soft limit on open file descriptors (`RLIMIT_NOFILE`); nil when unlimited.
    public var maxFileDescriptors: Int?

    /// Makes a snapshot from explicit values (for tests and reports).
    public init(
        residentMemoryBytes: Int, peakResidentMemoryBytes: Int?, virtualMemoryBytes: Int, cpuSeconds: Double,
        startTimeSeconds: Double, openFileDescriptors: Int, maxFileDescriptors: Int?
    ) {
        self.residentMemoryBytes = residentMemoryBytes
        self.peakResidentMemoryBytes = peakResidentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.cpuSeconds = cpuSeconds
        self.startTimeSeconds = startTimeSeconds
        self.openFileDescriptors = openFileDescriptors
        self.maxFileDescriptors = maxFileDescriptors
    }

    /// Reads the current values from `/proc/self`.
    ///
    /// Throws `OperatorServerError.procfsRead` / `.procfsMalformed` when `/proc` is missing or unexpected, and
    /// `.procfsUnavailable` on platforms other than Linux.
    public static func current() throws -> ProcessSnapshot {
        #if os(Linux)
        let stat = try ProcStat.parse(ProcFS.read("/proc/self/stat"))
        let bootTime = try ProcFS.bootTimeSeconds()
        let ticks = Double(ProcFS.clockTicksPerSecond)
        return ProcessSnapshot(
            residentMemoryBytes: stat.residentPages * ProcFS.pageSize,
            peakResidentMemoryBytes: (try? ProcFS.statusKilobytes("VmHWM")).map { $0 * 1024 },
            virtualMemoryBytes: stat.virtualBytes,
            cpuSeconds: Double(stat.userTicks + stat.systemTicks) / ticks,
            startTimeSeconds: Double(bootTime) + Double(stat.startTicks) / ticks,
            openFileDescriptors: try ProcFS.openFileDescriptorCount(),
            maxFileDescriptors: ProcFS.maxFileDescriptors()
        )
        #else
        throw OperatorServerError.procfsUnavailable
        #endif
    }

    /// This process' resident set size in bytes, or nil when it cannot be read (not Linux, no `/proc`).
    public static func residentMemoryBytes() -> Int? {
        #if os(Linux)
        return try? ProcStat.parse(ProcFS.read("/proc/self/stat")).residentPages * ProcFS.pageSize
        #else
        return nil
        #endif
    }
}
