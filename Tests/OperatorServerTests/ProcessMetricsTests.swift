import Foundation
import Prometheus
import Testing

@testable import OperatorServer

@Suite("ProcessMetrics")
struct ProcessMetricsTests {
    @Test("/proc/self/stat fields are counted from the last parenthesis of the command name")
    func statParsingSurvivesOddCommandNames() throws {
        let line = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 9 0 123456 987654321 2048 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try ProcStat.parse(line)
        #expect(stat == ProcStat(userTicks: 250, systemTicks: 75, startTicks: 123456, virtualBytes: 987654321, residentPages: 2048))
    }

    @Test("malformed /proc/self/stat content is a typed error", arguments: ["", "123 noparen S 1", "1 (x) S 1 2 3", "1 (x) S " + String(repeating: "x ", count: 30)])
    func malformedStat(text: String) {
        #expect {
            try ProcStat.parse(text)
        } throws: { error in
            if case OperatorServerError.procfsMalformed(let path, _) = error { return path == "/proc/self/stat" }
            return false
        }
    }

    #if os(Linux)
    @Test("a snapshot of this process is plausible")
    func snapshotIsPlausible() throws {
        let snapshot = try ProcessSnapshot.current()
        #expect(snapshot.residentMemoryBytes > 1 << 20)
        #expect(try #require(snapshot.peakResidentMemoryBytes) >= snapshot.residentMemoryBytes)
        #expect(snapshot.virtualMemoryBytes >= snapshot.residentMemoryBytes)
        #expect(snapshot.cpuSeconds >= 0)
        let now = Date().timeIntervalSince1970
        // Started before now, and not before the test run began a generous day ago.
        #expect(snapshot.startTimeSeconds <= now + 1)
        #expect(snapshot.startTimeSeconds > now - 86_400)
        #expect(snapshot.openFileDescriptors >= 3)
        if let max = snapshot.maxFileDescriptors { #expect(max >= snapshot.openFileDescriptors) }
        #expect((ProcessSnapshot.residentMemoryBytes() ?? 0) > 1 << 20)
    }

    @Test("opening files is seen in the open file descriptor count")
    func openFileDescriptorsCount() throws {
        let before = try ProcessSnapshot.current().openFileDescriptors
        let fds = (0..<64).map { _ in open("/dev/null", O_RDONLY) }
        defer { for fd in fds where fd >= 0 { close(fd) } }
        try #require(fds.allSatisfy { $0 >= 0 })
        let during = try ProcessSnapshot.current().openFileDescriptors
        // Other tests open and close descriptors concurrently, hence the margin of 32 out of 64.
        #expect(during >= before + 32)
    }

    @Test("CPU time grows with work")
    func cpuTimeGrows() throws {
        let before = try ProcessSnapshot.current().cpuSeconds
        var x: UInt64 = 1
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(300) {
            for i in 0..<10_000 { x = x &* 6364136223846793005 &+ UInt64(i) }
        }
        #expect(x != 0)
        let after = try ProcessSnapshot.current().cpuSeconds
        #expect(after > before)
    }

    @Test("update sets the process metrics in the registry")
    func updateSetsMetrics() throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = ProcessMetrics(registry: registry)
        let snapshot = try metrics.update()
        let text = registry.emitToString()
        #expect(text.contains("process_resident_memory_bytes "))
        #expect(text.contains("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"))
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\n"))
        #expect(text.contains("process_open_fds "))
        #expect(text.contains("process_start_time_seconds \(snapshot.startTimeSeconds)\n"))
        try metrics.update()
        try metrics.update()
        // Updating sets the counter to the kernel's total; it never adds the total up on each update.
        let cpuLine = try #require(registry.emitToString().split(separator: "\n").first { $0.hasPrefix("process_cpu_seconds_total ") })
        let cpu = try #require(Double(cpuLine.split(separator: " ")[1]))
        let current = try ProcessSnapshot.current().cpuSeconds
        #expect(cpu <= current)
        #expect(cpu >= snapshot.cpuSeconds)
    }
    #endif
}
