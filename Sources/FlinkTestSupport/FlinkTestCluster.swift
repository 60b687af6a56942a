import FlinkREST
import Foundation
import HTTPTransport
import Logging

/// A real local Flink 2.3 session cluster for tests, run by `scripts/flink-session.sh`.
///
/// The shared instances (`shared()`, `sharedAdaptive()`) come from the environment of the test wrapper
/// (`FLINK_TEST_REST_URL`, `FLINK_TEST_ADAPTIVE_REST_URL`, see `flink-session.sh with-test-clusters`), or, when
/// unset, are started on first use (`start --name test|test-adaptive --slots 16`; idempotent, they keep running
/// for the next test run: `scripts/flink-session.sh stop --name test` ends them). If Flink cannot start, the
/// call throws with the script's messages: tests fail, they are never skipped.
///
/// Tests run in parallel on the shared instances: each test uses its own job ids and cancels what it started.
/// Tests that need to disturb the cluster (a JobManager restart) use a `dedicated(name:)` instance.
public struct FlinkTestCluster: Sendable, CustomStringConvertible {
    /// The instance name (`.flink/<name>/` in the repository).
    public let name: String
    /// The REST base URL, e.g. `http://127.0.0.1:28890`.
    public let restURL: String
    /// Whether the cluster runs the adaptive scheduler (in-place rescaling).
    public let isAdaptive: Bool
    /// Whether this instance belongs to one test (it may be restarted and stopped).
    public let isDedicated: Bool

    /// Slots of the shared test instances: enough for the parallel tests' small jobs.
    public static let sharedSlots = 16
    /// Name of the shared default-scheduler instance.
    public static let sharedName = "test"
    /// Name of the shared adaptive-scheduler instance.
    public static let sharedAdaptiveName = "test-adaptive"

    public var description: String {
        "Flink instance '\(name)' at \(restURL)\(isAdaptive ? " (adaptive scheduler)" : "")"
    }

    // Started at most once per test process, on first use; every caller awaits the same start.
    private static let sharedDefault = Task {
        try await resolveShared(name: sharedName, environmentVariable: "FLINK_TEST_REST_URL", adaptive: false)
    }
    private static let sharedAdaptiveInstance = Task {
        try await resolveShared(
            name: sharedAdaptiveName,
            environmentVariable: "FLINK_TEST_ADAPTIVE_REST_URL",
            adaptive: true
        )
    }

    /// The shared instance with Flink's default scheduler.
    /// - Throws: `FlinkTestSupportError.scriptFailed` with the script's messages when Flink cannot start.
    public static func shared() async throws -> FlinkTestCluster {
        try await sharedDefault.value
    }

    /// The shared instance with the adaptive scheduler (in-place rescaling).
    /// - Throws: `FlinkTestSupportError.scriptFailed` with the script's messages when Flink cannot start.
    public static func sharedAdaptive() async throws -> FlinkTestCluster {
        try await sharedAdaptiveInstance.value
    }

    /// Starts (or finds running) an instance that belongs to one test, e.g. to restart its JobManager.
    ///
    /// The test should `stop()` it at the end; the test wrapper also stops `test-restart`.
    public static func dedicated(name: String, adaptive: Bool = false, slots: Int = 4) async throws -> FlinkTestCluster {
        guard name != sharedName, name != sharedAdaptiveName else { throw FlinkTestSupportError.sharedInstance(name) }
        var arguments = ["start", "--name", name, "--slots", String(slots)]
        if adaptive { arguments.append("--adaptive") }
        let url = try await startURL(arguments)
        return FlinkTestCluster(name: name, restURL: url, isAdaptive: adaptive, isDedicated: true)
    }

    /// Restarts the JobManager and TaskManager on the same ports; without HA the JobManager forgets every job
    /// and pending savepoint trigger (uploaded jars and savepoint directories stay, unless `losingJars`).
    /// Dedicated instances only.
    public func restart(losingJars: Bool = false) async throws {
        guard isDedicated else { throw FlinkTestSupportError.sharedInstance(name) }
        if losingJars {
            // Like a JobManager pod whose upload directory was an emptyDir: stopped, wiped, started on the same ports.
            _ = try await FlinkSessionScript.run(["stop", "--name", name])
            let uploads = try Self.repositoryRoot().appendingPathComponent(".flink/\(name)/upload")
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? [] {
                try FileManager.default.removeItem(at: uploads.appendingPathComponent(entry))
            }
        }
        _ = try await FlinkSessionScript.run(["restart", "--name", name])
    }

    /// Stops the instance's processes. Dedicated instances only.
    public func stop() async throws {
        guard isDedicated else { throw FlinkTestSupportError.sharedInstance(name) }
        _ = try await FlinkSessionScript.run(["stop", "--name", name])
    }

    /// A REST client for this instance over the process-wide test HTTP client.
    public func restClient(
        requestTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "flink-test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws -> FlinkRESTClient {
        try FlinkRESTClient(
            httpClient: try Self.httpClient(),
            baseURL: restURL,
            requestTimeout: requestTimeout,
            logger: logger
        )
    }

    /// A job id no other test (of this or any run) uses.
    public static func uniqueJobID() -> FlinkJobID {
        FlinkJobID.random()
    }

    /// The repository root (where `scripts/flink-session.sh` and `testjobs/` live).
    public static func repositoryRoot() throws -> URL {
        try FlinkSessionScript.repositoryRoot()
    }

    // MARK: - Private

    private static let sharedHTTPClient: Result<CurlHTTPClient, any Error> = Result {
        try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60)))
    }

    /// The process-wide HTTP client (kept-alive connections shared by all tests).
    public static func httpClient() throws -> CurlHTTPClient {
        try sharedHTTPClient.get()
    }

    private static func resolveShared(name: String, environmentVariable: String, adaptive: Bool) async throws
        -> FlinkTestCluster
    {
        if let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty {
            return FlinkTestCluster(name: name, restURL: url, isAdaptive: adaptive, isDedicated: false)
        }
        var arguments = ["start", "--name", name, "--slots", String(sharedSlots)]
        if adaptive { arguments.append("--adaptive") }
        let url = try await startURL(arguments)
        return FlinkTestCluster(name: name, restURL: url, isAdaptive: adaptive, isDedicated: false)
    }

    /// Runs `start` and returns the URL it prints as its last stdout line.
    private static func startURL(_ arguments: [String]) async throws -> String {
        let output = try await FlinkSessionScript.run(arguments)
        guard
            let url = output.stdout.split(whereSeparator: \.isNewline).last.map(String.init),
            url.hasPrefix("http")
        else {
            throw FlinkTestSupportError.unexpectedScriptOutput(
                command: "scripts/flink-session.sh " + arguments.joined(separator: " "),
                output: output.stdout + output.stderr
            )
        }
        return url
    }
}
