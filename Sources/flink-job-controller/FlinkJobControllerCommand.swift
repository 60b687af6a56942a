import ArgumentParser

/// The `flink-job-controller` command line.
@main
struct FlinkJobControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flink-job-controller",
        abstract: "Runs Apache Flink jobs on shared Flink session clusters, declaratively.",
        discussion: """
            FlinkJob and FlinkSessionCluster resources (API group flink.jobcontroller.io/v1alpha1) describe what \
            should run; the operator submits, upgrades, rescales, savepoints and stops the jobs through the Flink \
            REST API and reports what it sees in their status.

            Start the operator with `run` (against Kubernetes, or with --local against a directory of manifests). \
            Check manifests before applying them with `validate`.
            """,
        version: OperatorVersion.current,
        subcommands: [RunCommand.self, ValidateCommand.self, StatusCommand.self, DescribeCommand.self, VersionCommand.self]
    )
}

/// `flink-job-controller version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version and exit.")

    func run() {
        print("flink-job-controller \(OperatorVersion.current)")
    }
}

/// The operator's version, shown by `version` and `--version`, and sent in the User-Agent.
enum OperatorVersion {
    static let current = "0.1.0"
}
