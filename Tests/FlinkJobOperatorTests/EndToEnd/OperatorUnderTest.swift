import FlinkTestSupport
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The built `flink-job-controller` binary, running as a child process of the test.
///
/// Its output (JSON logs) goes to a file in the environment's directory; `logs` reads it for assertions and
/// failure messages.
final class OperatorUnderTest: Sendable {
    let logFile: URL
    let listenPort: Int
    private let process: Mutex<Process>
    let pid: Int32

    /// The binary: `$FJC_OPERATOR_BINARY` (set by the test command), else the newest debug build in the repository.
    static func binary(root: URL) throws -> String {
        if let path = ProcessInfo.processInfo.environment["FJC_OPERATOR_BINARY"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasPrefix(".build") }
            .flatMap { build in ["debug", "x86_64-unknown-linux-gnu/debug", "aarch64-unknown-linux-gnu/debug"].map { "\(root.path)/\(build)/\($0)/flink-job-controller" } }
            .filter { FileManager.default.isExecutableFile(atPath: $0) }
        let newest = candidates.max { modified($0) < modified($1) }
        guard let newest else {
            throw OperatorTestError.binaryMissing("no flink-job-controller binary; run `swift build` or set FJC_OPERATOR_BINARY")
        }
        return newest
    }

    private static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Starts `flink-job-controller run` against `environment` with `arguments` added to the defaults.
    static func start(
        _ environment: EndToEndEnvironment, name: String = "operator", arguments: [String] = [],
        leaderElection: Bool = false, logLevel: String? = "debug", extraEnvironment: [String: String] = [:]
    ) throws -> OperatorUnderTest {
        let port = ClosedPort.port()
        let root = environment.root
        var args = [
            "run", "--kubeconfig", environment.operatorKubeconfig.path, "--namespace", EndToEndEnvironment.namespace,
            "--listen", "127.0.0.1:\(port)", "--log-format", "json",
            "--artifact-dir", root.appendingPathComponent("testjobs/build").path,
            "--artifact-dir", root.appendingPathComponent("runtime/sql-runner/build").path,
            "--artifact-cache", environment.directory.appendingPathComponent("artifact-cache-\(name)").path,
            "--sql-runner-jar", root.appendingPathComponent("runtime/sql-runner/build/sql-runner.jar").path,
            "--secret-namespace", EndToEndEnvironment.operatorNamespace,
            "--leader-election-namespace", EndToEndEnvironment.operatorNamespace,
            // The local Flink instances' checkpoints (`.flink/<instance>/checkpoints`), as a pod would mount them.
            "--state-dir", root.appendingPathComponent(".flink").path,
        ]
        if let logLevel { args += ["--log-level", logLevel] }
        args += leaderElection ? ["--leader-elect", "--lease-duration", "4s", "--renew-deadline", "3s", "--retry-period", "500ms"]
            : ["--no-leader-elect"]
        args += arguments
        let logFile = environment.directory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary(root: root))
        process.arguments = args
        var variables = ProcessInfo.processInfo.environment
        variables["FJC_CONTROLLER_STEADY_REQUEUE"] = "3s"
        variables["FJC_CONTROLLER_PROGRESS_REQUEUE"] = "300ms"
        variables.merge(extraEnvironment) { _, new in new }
        process.environment = variables
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return OperatorUnderTest(process: process, pid: process.processIdentifier, logFile: logFile, listenPort: port)
    }

    private init(process: sending Process, pid: Int32, logFile: URL, listenPort: Int) {
        self.process = Mutex(process)
        self.pid = pid
        self.logFile = logFile
        self.listenPort = listenPort
    }

    var isRunning: Bool { process.withLock { $0.isRunning } }

    /// The exit status once the process ended.
    var exitCode: Int32? { process.withLock { $0.isRunning ? nil : $0.terminationStatus } }

    var logs: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The last `count` log lines, for failure messages.
    func tail(_ count: Int = 40) -> String {
        logs.split(separator: "\n").suffix(count).joined(separator: "\n")
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func terminate(timeout: Duration = .seconds(40)) async throws -> Int32 {
        kill(pid, SIGTERM)
        return try await waitForExit(timeout: timeout)
    }

    /// Kills the process at once (SIGKILL: no cleanup, like a crash or an OOM kill).
    func crash() async throws {
        kill(pid, SIGKILL)
        _ = try await waitForExit(timeout: .seconds(10))
    }

    /// Waits until the process ends.
    @discardableResult
    func waitForExit(timeout: Duration) async throws -> Int32 {
        try await poll("operator process \(pid) to exit", timeout: timeout, interval: .milliseconds(100)) { exitCode }
    }
}

enum OperatorTestError: Error, CustomStringConvertible {
    case binaryMissing(String)

    var description: String {
        switch self {
        case .binaryMissing(let why): why
        }
    }
}
