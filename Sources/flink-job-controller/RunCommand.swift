import ArgumentParser
import ControllerRuntime
import FlinkJobOperator
import Foundation
import Kubernetes
import Logging
import Metrics
import OperatorServer
import Prometheus
import ServiceLifecycle

/// `flink-job-controller run`: the operator.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the operator (against Kubernetes, or with --local against a directory of manifests).",
        discussion: """
            Settings come from, in increasing precedence: built-in defaults, --config FILE (YAML), \
            config.<ENV>.yaml next to it (--environment or FJC_ENVIRONMENT), environment variables \
            FJC_<SECTION>_<KEY> (e.g. FJC_LOG_LEVEL, FJC_LEADER_ELECTION_LEASE_DURATION), then these flags. \
            The YAML keys are listed in docs/configuration.md.

            Metrics are served on /metrics and health probes on /health/live, /health/ready, /health/startup \
            (and /healthz, /readyz) at --listen. SIGTERM stops taking new work, lets in-flight reconciles \
            finish, releases the leader lease and exits 0; losing the lease exits non-zero.
            """)

    @Option(help: ArgumentHelp("YAML configuration file.", valueName: "file")) var config: String?
    @Option(help: ArgumentHelp("Also load config.<env>.yaml next to --config.", valueName: "env")) var environment: String?

    @Option(help: ArgumentHelp("Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?
    @Option(help: ArgumentHelp("Kubeconfig context to use.", valueName: "name")) var context: String?
    @Flag(help: "Use the pod's service account (also chosen automatically inside a pod).") var inCluster = false
    @Option(name: .customLong("namespace"), help: ArgumentHelp("Watch FlinkJobs in this namespace (repeatable; default: all).", valueName: "ns"))
    var namespaces: [String] = []
    @Option(help: ArgumentHelp("Manage only FlinkJobs matching this label selector.", valueName: "selector")) var labelSelector: String?
    @Option(help: "Concurrent reconciles of the FlinkJob controller (default 4).") var workers: Int?

    @Flag(help: "Elect a leader with a Lease (the default).") var leaderElect = false
    @Flag(help: "Do not elect a leader (run a single replica only).") var noLeaderElect = false
    @Option(help: ArgumentHelp("Namespace of the Lease (default: the pod's namespace).", valueName: "ns"))
    var leaderElectionNamespace: String?
    @Option(help: ArgumentHelp("Name of the Lease.", valueName: "name")) var leaseName: String?
    @Option(help: ArgumentHelp("How long a lease is valid (default 15s).", valueName: "duration")) var leaseDuration: String?
    @Option(help: ArgumentHelp("How long the leader keeps trying to renew (default 10s).", valueName: "duration")) var renewDeadline: String?
    @Option(help: ArgumentHelp("Time between election attempts (default 2s).", valueName: "duration")) var retryPeriod: String?

    @Option(help: ArgumentHelp("Address of /metrics and the health probes (default 0.0.0.0:8080).", valueName: "host:port"))
    var listen: String?
    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default info).", valueName: "level"))
    var logLevel: String?
    @Option(help: ArgumentHelp("json (one object per line, the default) or text.", valueName: "format")) var logFormat: String?

    @Option(name: .customLong("artifact-dir"), help: ArgumentHelp("Directory file:// artifacts may come from (repeatable).", valueName: "dir"))
    var artifactDirectories: [String] = []
    @Option(help: ArgumentHelp("Where downloaded artifacts are cached.", valueName: "dir")) var artifactCache: String?
    @Option(name: .customLong("state-dir"), help: ArgumentHelp("A file:// checkpoint directory the operator sees as Flink does: listed to prove a lost job's newest checkpoint (repeatable).", valueName: "dir"))
    var stateDirectories: [String] = []
    @Option(help: ArgumentHelp("The SQL runner jar used for SQL artifacts.", valueName: "path")) var sqlRunnerJar: String?
    @Option(help: ArgumentHelp("Flink's flink-python jar used for Python artifacts.", valueName: "path")) var pythonDriverJar: String?
    @Option(name: .customLong("secret-namespace"), help: ArgumentHelp("Cache Secrets of this namespace for cluster TLS/auth (repeatable; default: the operator's namespace).", valueName: "ns"))
    var secretNamespaces: [String] = []

    @Flag(help: "Run without Kubernetes: read manifests from --manifests, keep state in --state.") var local = false
    @Option(name: .customLong("manifests"), help: ArgumentHelp("Directory of FlinkJob/FlinkSessionCluster manifests (repeatable).", valueName: "dir"))
    var manifestDirectories: [String] = []
    @Option(help: ArgumentHelp("Local-mode state database.", valueName: "file")) var state: String?
    @Option(help: ArgumentHelp("Local mode: how long an object whose manifest vanished waits before it is deleted (default 2s).", valueName: "duration"))
    var deletionGrace: String?
    @Option(help: ArgumentHelp("Local mode: this many objects vanishing at once (or all of them) is a mass deletion (default 3).", valueName: "n"))
    var massDeletionThreshold: Int?
    @Option(help: ArgumentHelp("Local mode: how long a mass deletion waits for the manifests to come back (default 10m).", valueName: "duration"))
    var massDeletionGrace: String?

    mutating func run() async throws {
        var settings = try await OperatorConfiguration.load(
            configFile: config, environmentName: environment, environment: ProcessInfo.processInfo.environment)
        applyFlags(to: &settings)
        let problems = settings.problems()
        guard problems.isEmpty else {
            var standardError = StandardError()
            print("flink-job-controller: invalid configuration:", to: &standardError)
            for problem in problems { print("  - \(problem)", to: &standardError) }
            throw ExitCode(2)
        }
        let logger = bootstrapLogging(settings)
        let registry = PrometheusCollectorRegistry()
        let metricsFactory = MetricsBootstrap.bootstrap(registry: registry)
        do {
            if settings.local {
                // Local mode (no Kubernetes): the same operator on manifest directories and a state file.
                try await LocalOperatorProcess(settings: settings, logger: logger, registry: registry, metricsFactory: metricsFactory).run()
            } else {
                try await OperatorProcess(settings: settings, logger: logger, registry: registry, metricsFactory: metricsFactory).run()
            }
        } catch let error as ControllerRuntimeError {
            logger.critical("Stopping: \(error)")
            throw ExitCode(1)
        } catch {
            logger.critical("Stopping after a fatal error", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }

    func applyFlags(to settings: inout OperatorConfiguration) {
        if let kubeconfig { settings.kubeconfig = kubeconfig }
        if let context { settings.context = context }
        if inCluster { settings.inCluster = true }
        if !namespaces.isEmpty { settings.namespaces = namespaces }
        if let labelSelector { settings.labelSelector = labelSelector }
        if let workers { settings.workers = workers }
        if leaderElect { settings.leaderElection = true }
        if noLeaderElect { settings.leaderElection = false }
        if let leaderElectionNamespace { settings.leaderElectionNamespace = leaderElectionNamespace }
        if let leaseName { settings.leaseName = leaseName }
        if let leaseDuration { settings.leaseDuration = leaseDuration }
        if let renewDeadline { settings.renewDeadline = renewDeadline }
        if let retryPeriod { settings.retryPeriod = retryPeriod }
        if let listen { settings.listen = listen }
        if let logLevel {
            settings.logLevel = logLevel
            settings.logLevelFromFlag = true
        }
        if let logFormat { settings.logFormat = logFormat }
        if !artifactDirectories.isEmpty { settings.artifactDirectories = artifactDirectories }
        if let artifactCache { settings.artifactCache = artifactCache }
        if !stateDirectories.isEmpty { settings.stateDirectories = stateDirectories }
        if let sqlRunnerJar { settings.sqlRunnerJar = sqlRunnerJar }
        if let pythonDriverJar { settings.pythonDriverJar = pythonDriverJar }
        if !secretNamespaces.isEmpty { settings.secretNamespaces = secretNamespaces }
        if local { settings.local = true }
        if !manifestDirectories.isEmpty { settings.manifestDirectories = manifestDirectories }
        if let state { settings.stateFile = state }
        if let deletionGrace { settings.deletionGrace = deletionGrace }
        if let massDeletionThreshold { settings.massDeletionThreshold = massDeletionThreshold }
        if let massDeletionGrace { settings.massDeletionGrace = massDeletionGrace }
    }

    func bootstrapLogging(_ settings: OperatorConfiguration) -> Logger {
        LogLevelControl.level = Logger.Level(rawValue: settings.logLevel.lowercased()) ?? .info
        let json = settings.logFormat == "json"
        LoggingSystem.bootstrap { label -> any LogHandler in
            if json { return DynamicLevelHandler(base: JSONLogHandler(label: label, level: .trace)) }
            return DynamicLevelHandler(base: StreamLogHandler.standardError(label: label))
        }
        return Logger(label: "flink-job-controller")
    }
}

/// Standard error as a `TextOutputStream`, for `print(to:)`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
