import Configuration
import FlinkJobOperator
import HTTPTransport
import Foundation
import Logging
import SystemPackage

/// Everything `run` is configured with, resolved from (highest precedence first): command-line flags,
/// environment variables `FJC_<SECTION>_<KEY>` (e.g. `FJC_LOG_LEVEL`), `config.<environment>.yaml` next to the
/// config file, the config file itself, and the defaults below.
///
/// Keys (YAML paths) are listed in `docs/configuration.md`. Validation collects every problem with a message
/// naming the key, so a misconfigured deployment fails at start with all of them at once.
struct OperatorConfiguration: Sendable {
    var kubeconfig: String?
    var context: String?
    var inCluster = false
    var namespaces: [String] = []
    var labelSelector: String?
    var workers = 4
    var steadyRequeue = "60s"
    var progressRequeue = "2s"
    var leaderElection = true
    var leaderElectionNamespace: String?
    var leaseName = "flink-job-controller"
    var leaseDuration = "15s"
    var renewDeadline = "10s"
    var retryPeriod = "2s"
    var listen = "0.0.0.0:8080"
    var logLevel = "info"
    var logFormat = "json"
    var artifactDirectories: [String] = []
    var artifactCache = "/tmp/flink-job-controller/artifacts"
    var stateDirectories: [String] = []
    var maxDownloadBytes: Int64 = 512 << 20
    var maxCacheBytes: Int64 = 1 << 30
    var sqlRunnerJar = "/opt/flink-job-controller/sql-runner.jar"
    var pythonDriverJar = "/opt/flink-job-controller/flink-python.jar"
    /// Egress policy of artifact downloads (`artifacts.egress.*`; see `EgressPolicy`).
    var egressAllowedHosts: [String] = []
    var egressAllowedRanges: [String] = []
    var egressDeniedRanges: [String] = []
    /// PEM public keys trusted for artifact signatures on every cluster (`artifacts.trustedKeyFiles`).
    var trustedKeyFiles: [String] = []
    var flinkRequestTimeout = "30s"
    var secretNamespaces: [String] = []
    var clusterScopedEventNamespace = "default"
    var watchNamespacesForPolicy = true
    var local = false
    var manifestDirectories: [String] = []
    var stateFile = "flink-job-controller.sqlite"
    /// Local mode: how long a vanished manifest's object waits before it is deleted; the longer wait when at least
    /// `massDeletionThreshold` objects (or all of them) vanish at once.
    var deletionGrace = "2s"
    var massDeletionThreshold = 3
    var massDeletionGrace = "10m"
    /// The config file, when one was given (its `log.level` is reloaded on change).
    var configFile: String?
    /// Whether `--log-level` was given (then the file's value is not reloaded over it).
    var logLevelFromFlag = false

    /// Reads the layered sources (everything but flags).
    static func load(configFile: String?, environmentName: String?, environment: [String: String]) async throws
        -> OperatorConfiguration
    {
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ["fjc"])
        ]
        if let configFile {
            let environmentName = environmentName ?? environment["FJC_ENVIRONMENT"]
            if let environmentName, !environmentName.isEmpty {
                let directory = (configFile as NSString).deletingLastPathComponent
                let overlay = (directory.isEmpty ? "." : directory) + "/config.\(environmentName).yaml"
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(overlay), allowMissing: false))
            }
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(configFile)))
        }
        let reader = ConfigReader(providers: providers)
        var c = OperatorConfiguration()
        c.configFile = configFile
        c.kubeconfig = reader.string(forKey: "kubernetes.kubeconfig").nonEmpty
        c.context = reader.string(forKey: "kubernetes.context").nonEmpty
        c.inCluster = reader.bool(forKey: "kubernetes.inCluster", default: c.inCluster)
        c.namespaces = reader.stringArray(forKey: "watch.namespaces", default: c.namespaces)
        c.labelSelector = reader.string(forKey: "watch.labelSelector").nonEmpty
        c.workers = reader.int(forKey: "controller.workers", default: c.workers)
        c.steadyRequeue = reader.string(forKey: "controller.steadyRequeue", default: c.steadyRequeue)
        c.progressRequeue = reader.string(forKey: "controller.progressRequeue", default: c.progressRequeue)
        c.leaderElection = reader.bool(forKey: "leaderElection.enabled", default: c.leaderElection)
        c.leaderElectionNamespace = reader.string(forKey: "leaderElection.namespace").nonEmpty
        c.leaseName = reader.string(forKey: "leaderElection.leaseName", default: c.leaseName)
        c.leaseDuration = reader.string(forKey: "leaderElection.leaseDuration", default: c.leaseDuration)
        c.renewDeadline = reader.string(forKey: "leaderElection.renewDeadline", default: c.renewDeadline)
        c.retryPeriod = reader.string(forKey: "leaderElection.retryPeriod", default: c.retryPeriod)
        c.listen = reader.string(forKey: "server.listen", default: c.listen)
        c.logLevel = reader.string(forKey: "log.level", default: c.logLevel)
        c.logFormat = reader.string(forKey: "log.format", default: c.logFormat)
        c.artifactDirectories = reader.stringArray(forKey: "artifacts.directories", default: c.artifactDirectories)
        c.artifactCache = reader.string(forKey: "artifacts.cacheDirectory", default: c.artifactCache)
        c.stateDirectories = reader.stringArray(forKey: "state.directories", default: c.stateDirectories)
        c.maxDownloadBytes = Int64(reader.int(forKey: "artifacts.maxDownloadBytes", default: Int(c.maxDownloadBytes)))
        c.maxCacheBytes = Int64(reader.int(forKey: "artifacts.maxCacheBytes", default: Int(c.maxCacheBytes)))
        c.sqlRunnerJar = reader.string(forKey: "artifacts.sqlRunnerJar", default: c.sqlRunnerJar)
        c.pythonDriverJar = reader.string(forKey: "artifacts.pythonDriverJar", default: c.pythonDriverJar)
        c.egressAllowedHosts = reader.stringArray(forKey: "artifacts.egress.allowedHosts", default: c.egressAllowedHosts)
        c.egressAllowedRanges = reader.stringArray(forKey: "artifacts.egress.allowedRanges", default: c.egressAllowedRanges)
        c.egressDeniedRanges = reader.stringArray(forKey: "artifacts.egress.deniedRanges", default: c.egressDeniedRanges)
        c.trustedKeyFiles = reader.stringArray(forKey: "artifacts.trustedKeyFiles", default: c.trustedKeyFiles)
        c.flinkRequestTimeout = reader.string(forKey: "flink.requestTimeout", default: c.flinkRequestTimeout)
        c.secretNamespaces = reader.stringArray(forKey: "secrets.namespaces", default: c.secretNamespaces)
        c.clusterScopedEventNamespace = reader.string(
            forKey: "events.clusterScopedNamespace", default: c.clusterScopedEventNamespace)
        c.watchNamespacesForPolicy = reader.bool(forKey: "watch.namespaceLabels", default: c.watchNamespacesForPolicy)
        c.deletionGrace = reader.string(forKey: "local.deletionGrace", default: c.deletionGrace)
        c.massDeletionThreshold = reader.int(forKey: "local.massDeletionThreshold", default: c.massDeletionThreshold)
        c.massDeletionGrace = reader.string(forKey: "local.massDeletionGrace", default: c.massDeletionGrace)
        return c
    }

    /// Every problem with the configuration, each naming its key.
    func problems() -> [String] {
        var problems: [String] = []
        for (key, value) in [
            ("controller.steadyRequeue", steadyRequeue), ("controller.progressRequeue", progressRequeue),
            ("leaderElection.leaseDuration", leaseDuration), ("leaderElection.renewDeadline", renewDeadline),
            ("leaderElection.retryPeriod", retryPeriod), ("flink.requestTimeout", flinkRequestTimeout),
        ] where GoDuration.parse(value).map({ $0 <= .zero }) ?? true {
            problems.append("\(key): \"\(value)\" is not a positive duration (use e.g. 15s, 2m)")
        }
        if workers < 1 || workers > 256 { problems.append("controller.workers must be between 1 and 256, not \(workers)") }
        if Logger.Level(rawValue: logLevel.lowercased()) == nil {
            problems.append("log.level: \"\(logLevel)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        if !["json", "text"].contains(logFormat) { problems.append("log.format: \"\(logFormat)\" is not json or text") }
        if hostAndPort == nil { problems.append("server.listen: \"\(listen)\" is not HOST:PORT") }
        if maxDownloadBytes <= 0 { problems.append("artifacts.maxDownloadBytes must be positive") }
        if maxCacheBytes < maxDownloadBytes {
            problems.append("artifacts.maxCacheBytes (\(maxCacheBytes)) must be at least artifacts.maxDownloadBytes (\(maxDownloadBytes))")
        }
        for (key, ranges) in [
            ("artifacts.egress.allowedRanges", egressAllowedRanges), ("artifacts.egress.deniedRanges", egressDeniedRanges),
        ] {
            for range in ranges where IPRange(range) == nil {
                problems.append("\(key): \"\(range)\" is not an IP address or CIDR range (e.g. 10.20.0.0/16, fd00::/8)")
            }
        }
        for file in trustedKeyFiles where !file.hasPrefix("/") {
            problems.append("artifacts.trustedKeyFiles: \"\(file)\" is not an absolute path")
        }
        for host in egressAllowedHosts where host.isEmpty || host.contains("/") || host.contains(":") {
            problems.append("artifacts.egress.allowedHosts: \"\(host)\" is not a host name (e.g. repo.internal, *.corp.example)")
        }
        for directory in artifactDirectories where !directory.hasPrefix("/") {
            problems.append("artifacts.directories: \"\(directory)\" is not an absolute path")
        }
        for directory in stateDirectories where !(directory.hasPrefix("/") || directory.hasPrefix("file:/")) {
            problems.append("state.directories: \"\(directory)\" is not an absolute path or file:// URI")
        }
        if local && manifestDirectories.isEmpty { problems.append("--local needs at least one --manifests DIR") }
        for (key, value) in [("local.deletionGrace", deletionGrace), ("local.massDeletionGrace", massDeletionGrace)]
        where GoDuration.parse(value).map({ $0 < .zero }) ?? true {
            problems.append("\(key): \"\(value)\" is not a duration (use e.g. 2s, 10m; 0s deletes at once)")
        }
        if massDeletionThreshold < 1 { problems.append("local.massDeletionThreshold must be at least 1") }
        return problems
    }

    /// The artifact egress policy; `protectedAddresses` are the Kubernetes API server's.
    func egressPolicy(protectedAddresses: [IPAddress]) -> EgressPolicy {
        EgressPolicy(
            allowedHosts: egressAllowedHosts, allowedRanges: egressAllowedRanges.compactMap(IPRange.init),
            deniedRanges: egressDeniedRanges.compactMap(IPRange.init), protectedAddresses: protectedAddresses)
    }

    var hostAndPort: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        let host = String(listen[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    func duration(_ text: String) -> Duration { GoDuration.parse(text) ?? .seconds(1) }
}

extension Optional where Wrapped == String {
    /// `nil` for an empty string too.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
