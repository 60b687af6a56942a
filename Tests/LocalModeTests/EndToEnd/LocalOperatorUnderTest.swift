import FlinkTestSupport
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The built `flink-job-controller` binary running `run --local` as a child process of the test.
final class LocalOperatorUnderTest: Sendable {
    let logFile: URL
    let listenPort: Int
    private let process: Mutex<Process>
    let pid: Int32

    /// The binary: `$FJC_OPERATOR_BINARY` (set by the test command), else the newest debug build in the repository.
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FJC_OPERATOR_BINARY"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let root = try FlinkTestCluster.repositoryRoot()
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasPrefix(".build") }
            .flatMap { build in
                ["debug", "x86_64-unknown-linux-gnu/debug", "aarch64-unknown-linux-gnu/debug"].map { "\(root.path)/\(build)/\($0)/flink-job-controller" }
            }
            .filter { FileManager.default.isExecutableFile(atPath: $0) }
        guard let newest = candidates.max(by: { modified($0) < modified($1) }) else {
            throw LocalTestError("no flink-job-controller binary; run `swift build` or set FJC_OPERATOR_BINARY")
        }
        return newest
    }

    private static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Starts `flink-job-controller run --local` on the sandbox's manifests and state file.
    static func start(_ sandbox: LocalSandbox, name: String = "operator", environment extra: [String: String] = [:]) throws
        -> LocalOperatorUnderTest
    {
        let port = ClosedPort.port()
        let logFile = sandbox.root.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = [
            "run", "--local", "--manifests", sandbox.manifests.path, "--state", sandbox.statePath,
            "--artifact-dir", sandbox.artifacts.path, "--listen", "127.0.0.1:\(port)", "--log-format", "json",
            "--log-level", "debug", "--artifact-cache", sandbox.root.appendingPathComponent("artifact-cache").path,
        ]
        var variables = ProcessInfo.processInfo.environment
        variables["FJC_CONTROLLER_STEADY_REQUEUE"] = "3s"
        variables["FJC_CONTROLLER_PROGRESS_REQUEUE"] = "300ms"
        variables.merge(extra) { _, new in new }
        process.environment = variables
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return LocalOperatorUnderTest(process: process, pid: process.processIdentifier, logFile: logFile, listenPort: port)
    }

    private init(process: sending Process, pid: Int32, logFile: URL, listenPort: Int) {
        self.process = Mutex(process)
        self.pid = pid
        self.logFile = logFile
        self.listenPort = listenPort
    }

    var exitCode: Int32? { process.withLock { $0.isRunning ? nil : $0.terminationStatus } }
    var logs: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The last `count` log lines, for failure messages.
    func tail(_ count: Int = 40) -> String {
        logs.split(separator: "\n").suffix(count).joined(separator: "\n")
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func terminate(timeout: Duration = .seconds(40)) async throws -> Int32 {
        kill(pid, SIGTERM)
        return try await waitForExit(timeout: timeout)
    }

    /// SIGKILL: no cleanup at all, like a crash.
    func crash() async throws {
        kill(pid, SIGKILL)
        _ = try await waitForExit(timeout: .seconds(10))
    }

    @discardableResult
    func waitForExit(timeout: Duration) async throws -> Int32 {
        try await poll("operator process \(pid) to exit", timeout: timeout, interval: .milliseconds(100)) { exitCode }
    }
}

/// Runs the binary with `arguments` (e.g. `status`) and returns its exit code and output.
func runBinary(_ arguments: [String]) async throws -> (code: Int32, output: String) {
    let result = try await ChildProcess.run(try LocalOperatorUnderTest.binary(), arguments)
    return (result.status, result.output)
}

struct LocalTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
