import FlinkTestSupport
import Foundation
import Testing

/// The executable's command line: help, version, offline validation, configuration errors.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var output: String
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let root = try FlinkTestCluster.repositoryRoot()
        let result = try await ChildProcess.run(
            try OperatorUnderTest.binary(root: root), arguments, environment: environment, currentDirectory: root.path)
        return Run(status: result.status, output: result.stderr + result.stdout)
    }

    @Test func helpListsTheSubcommandsAndRunHelpExplainsPrecedence() async throws {
        let help = try await run(["--help"])
        #expect(help.status == 0)
        for subcommand in ["run", "validate", "version"] { #expect(help.output.contains(subcommand)) }
        let runHelp = try await run(["run", "--help"])
        #expect(runHelp.status == 0)
        for flag in ["--kubeconfig", "--namespace", "--workers", "--no-leader-elect", "--lease-duration", "--listen", "--log-format", "--artifact-dir", "--local", "--manifests"] {
            #expect(runHelp.output.contains(flag), "run --help lacks \(flag)")
        }
        #expect(runHelp.output.contains("FJC_"))
        #expect(try await run(["version"]).output.hasPrefix("flink-job-controller "))
    }

    @Test func validateAcceptsTheExamples() async throws {
        let root = try FlinkTestCluster.repositoryRoot()
        let examples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".yaml") }.map { "examples/\($0)" }
        #expect(!examples.isEmpty)
        let result = try await run(["validate", "-f"] + examples)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK: \(examples.count) object(s)"))
    }

    @Test func validateRejectsBadManifestsWithFileAndLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.yaml")
        try """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkJob
            metadata:
              name: bad
            spec:
              artifact:
                jar:
                  uri: s3://bucket/job.jar
              parallelism: 0
              checkpointing:
                interval: ten seconds
            ---
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkJob
            metadata:
              name: typed
            spec:
              parallelism: "four"
              artifact: {jar: {uri: "https://example.com/x.jar"}}
            """.write(to: bad, atomically: true, encoding: .utf8)
        let broken = directory.appendingPathComponent("broken.yaml")
        try "kind: FlinkJob\nmetadata: {name: x\nspec:\n".write(to: broken, atomically: true, encoding: .utf8)

        // Nine levels of nine aliases ("billion laughs"): refused at once, not expanded.
        let bomb = directory.appendingPathComponent("bomb.yaml")
        var laughs = "kind: FlinkJob\nmetadata: {name: lol}\nspec:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for (level, previous) in zip("bcdefghi", "abcdefgh") {
            laughs += "  \(level): &\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        try laughs.write(to: bomb, atomically: true, encoding: .utf8)

        let result = try await run(["validate", "-f", bad.path, broken.path, bomb.path])
        #expect(result.status == 1)
        #expect(result.output.contains("\(bomb.path):1: the YAML expands to more than"))
        #expect(result.output.contains("\(bad.path):8: FlinkJob/bad: spec.artifact.jar.uri scheme s3:// is not supported"))
        #expect(result.output.contains("\(bad.path):9: FlinkJob/bad: spec.parallelism must be between 1 and 32768, not 0"))
        #expect(result.output.contains("\(bad.path):11: FlinkJob/bad: spec.checkpointing.interval \"ten seconds\" is not a duration"))
        #expect(result.output.contains("\(bad.path):18: FlinkJob/typed: spec.parallelism: expected Int"))
        #expect(result.output.contains("\(broken.path):3: invalid YAML"))
    }

    @Test func invalidConfigurationIsRefusedAtStartNamingEveryKey() async throws {
        let result = try await run(
            ["run", "--workers", "0", "--log-format", "xml", "--lease-duration", "soon"],
            environment: ["FJC_LOG_LEVEL": "loud"])
        #expect(result.status == 2)
        #expect(result.output.contains("controller.workers must be between 1 and 256, not 0"))
        #expect(result.output.contains("log.format: \"xml\" is not json or text"))
        #expect(result.output.contains("leaderElection.leaseDuration: \"soon\" is not a positive duration"))
        #expect(result.output.contains("log.level: \"loud\""))
    }

    @Test func configurationLayersFileEnvironmentFileVariablesAndFlags() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "controller:\n  workers: 300\nlog:\n  format: xml\n  level: info\n".write(
            to: directory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try "controller:\n  workers: 400\n".write(
            to: directory.appendingPathComponent("config.prod.yaml"), atomically: true, encoding: .utf8)
        // The prod file overrides the base (400 wins over 300), the environment overrides both for log.level,
        // and the flag overrides the file for log.format: only the workers value is left wrong.
        let result = try await run(
            ["run", "--config", directory.appendingPathComponent("config.yaml").path, "--environment", "prod", "--log-format", "text"],
            environment: ["FJC_LOG_LEVEL": "LOUD"])
        #expect(result.status == 2)
        #expect(result.output.contains("controller.workers must be between 1 and 256, not 400"))
        #expect(result.output.contains("log.level: \"LOUD\""))
        #expect(!result.output.contains("log.format"))
    }
}
