import FlinkTestSupport
import Foundation
import LocalMode
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `scripts/quickstart.sh` as a user runs it (with the already built binary, and its own Flink instance name so
/// a quickstart the developer runs is not touched): start → the example job RUNNING; start again → nothing new;
/// stop → operator and Flink gone.
@Suite("Quickstart script", .serialized)
struct QuickstartTests {
    @Test func quickstartStartRunsTheExampleJobIsIdempotentAndStopTearsEverythingDown() async throws {
        let root = try FlinkTestCluster.repositoryRoot()
        _ = try await FlinkTestJobs.compiled()
        let name = "quickstart-test-\(UUID().uuidString.prefix(6).lowercased())"
        let runDirectory = root.appendingPathComponent(".run/\(name)")
        let environment = [
            "QUICKSTART_NAME": name, "QUICKSTART_BINARY": try LocalOperatorUnderTest.binary(),
            "QUICKSTART_SKIP_DEPS": "1", "QUICKSTART_LISTEN": "127.0.0.1:\(ClosedPort.port())", "QUICKSTART_TIMEOUT": "240",
        ]
        do {
            let started = try await Self.script(["start"], root: root, environment: environment)
            #expect(started.code == 0, "\(started.output)")
            #expect(started.output.contains("Flink UI:          http://127.0.0.1:"))
            #expect(started.output.range(of: #"default +quickstart-streaming +Running +RUNNING +[0-9a-f]{32}"#, options: .regularExpression) != nil, "\(started.output)")
            let pid = try String(contentsOf: runDirectory.appendingPathComponent("operator.pid"), encoding: .utf8)

            let again = try await Self.script(["start"], root: root, environment: environment)
            #expect(again.code == 0, "\(again.output)")
            #expect(again.output.contains("Operator already running (pid \(pid.trimmingCharacters(in: .whitespacesAndNewlines)))"))
            #expect(try String(contentsOf: runDirectory.appendingPathComponent("operator.pid"), encoding: .utf8) == pid)

            let stopped = try await Self.script(["stop"], root: root, environment: environment)
            #expect(stopped.code == 0, "\(stopped.output)")
            #expect(!FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("operator.pid").path))
            let flink = try await Self.script(["status"], root: root, environment: environment)
            #expect(flink.output.contains("stopped"), "\(flink.output)")
            #expect(kill(pid_t(pid.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 0) != 0, "the operator is gone")
        } catch {
            await Self.tearDown(root: root, name: name, environment: environment)
            throw error
        }
        await Self.tearDown(root: root, name: name, environment: environment)
    }

    /// Stops whatever the quickstart left running and removes its directories.
    static func tearDown(root: URL, name: String, environment: [String: String]) async {
        _ = try? await script(["stop"], root: root, environment: environment)
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".run/\(name)"))
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".flink/\(name)"))
    }

    /// Runs `scripts/quickstart.sh` with `arguments`; output is stderr and stdout together.
    static func script(_ arguments: [String], root: URL, environment: [String: String]) async throws -> (code: Int32, output: String) {
        let result = try await ChildProcess.run(
            root.appendingPathComponent("scripts/quickstart.sh").path, arguments, environment: environment,
            currentDirectory: root.path)
        return (result.status, result.output)
    }
}
