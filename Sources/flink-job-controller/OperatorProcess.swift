import ControllerRuntime
import FlinkJobOperator
import HTTPTransport
import Foundation
import Kubernetes
import Logging
import Metrics
import OperatorServer
import Prometheus
import ServiceLifecycle

/// Assembles and runs the operator against Kubernetes: caches on every replica, controllers only on the leader,
/// the metrics/health server, all in one `ServiceGroup` with graceful shutdown on SIGTERM/SIGINT.
///
/// Service order matters: the group shuts down in reverse, so the leader-elected controllers drain first (then
/// the lease is released), then the caches and the event recorder (which flushes), and the server last.
struct OperatorProcess {
    let settings: OperatorConfiguration
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    let metricsFactory: any MetricsFactory

    func run() async throws {
        let health = HealthState()
        let server = OperatorServer(
            address: try ListenAddress(parsing: settings.listen), registry: registry, health: health, logger: logger)

        var environment = ProcessInfo.processInfo.environment
        if let kubeconfig = settings.kubeconfig { environment["KUBECONFIG"] = kubeconfig }
        let kubernetes = settings.inCluster
            ? try KubernetesConfiguration.inCluster(environment: environment, logger: logger)
            : try KubernetesConfiguration.load(environment: environment, context: settings.context, logger: logger)
        // Watches idle longer than their server-side timeout (290 s) plus slack are dead connections.
        let client = try KubernetesClient(configuration: kubernetes, logger: logger, watchIdleTimeout: .seconds(330), metered: true)
        let ownNamespace = settings.leaderElectionNamespace ?? environment["POD_NAMESPACE"].nonEmpty
            ?? (kubernetes.namespace.isEmpty ? "default" : kubernetes.namespace)
        let identity = LeaderElectionConfiguration.defaultIdentity()
        var logger = logger
        logger[metadataKey: "operator.identity"] = "\(identity)"

        var elector: LeaderElector?
        if settings.leaderElection {
            elector = try LeaderElector(
                lock: KubernetesLeaseLock(client: client, namespace: ownNamespace, name: settings.leaseName),
                configuration: LeaderElectionConfiguration(
                    name: settings.leaseName, identity: identity, leaseDuration: settings.duration(settings.leaseDuration),
                    renewDeadline: settings.duration(settings.renewDeadline), retryPeriod: settings.duration(settings.retryPeriod)),
                logger: logger, metricsFactory: metricsFactory)
        }
        var operatorSettings = operatorSettings(identity: identity, ownNamespace: ownNamespace, environment: environment)
        // The API server is never an artifact source, whatever the egress allow-lists say.
        operatorSettings.artifacts.egress.protectedAddresses = HostAddresses.resolve(url: kubernetes.server)
        if let elector {
            // Fencing: every side effect checks that this replica still leads, right before it happens.
            operatorSettings.leadership = { elector.isLeader }
        }
        let flinkOperator = try FlinkOperator(
            backend: .kubernetes(client, watchNamespaces: settings.watchNamespacesForPolicy),
            settings: operatorSettings, logger: logger, metricsFactory: metricsFactory, now: PlannerClock.from(environment: environment))

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server)]
        if let configFile = settings.configFile, !settings.logLevelFromFlag {
            services.append(.init(service: try await ConfigReloader.make(configFile: configFile, environment: environment, logger: logger)))
        }
        services += flinkOperator.cacheServices.map { .init(service: $0) }
        if let election = elector {
            services.append(.init(service: HealthReporter(operator: flinkOperator, elector: election, health: health)))
            services.append(.init(service: LeaderElectedServices(elector: election, services: flinkOperator.controllerServices)))
        } else {
            services.append(.init(service: HealthReporter(operator: flinkOperator, elector: nil, health: health)))
            services += flinkOperator.controllerServices.map { .init(service: $0) }
        }
        logger.info("Starting", metadata: [
            "leader_election": "\(elector != nil)", "lease": "\(ownNamespace)/\(settings.leaseName)",
            "namespaces": "\(settings.namespaces.isEmpty ? "all" : settings.namespaces.joined(separator: ","))",
            "listen": "\(settings.listen)",
        ])
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await flinkOperator.shutdown()
            await client.shutdown()
            throw error
        }
        await flinkOperator.shutdown()
        await client.shutdown()
        logger.info("Stopped")
    }

    func operatorSettings(identity: String, ownNamespace: String, environment: [String: String]) -> OperatorSettings {
        OperatorSettings(
            namespaces: settings.namespaces.isEmpty ? .all : .only(settings.namespaces),
            labelSelector: settings.labelSelector,
            secretNamespaces: .only(settings.secretNamespaces.isEmpty ? [ownNamespace] : settings.secretNamespaces),
            workers: settings.workers,
            planner: PlannerSettings(
                steadyRequeue: settings.duration(settings.steadyRequeue),
                progressRequeue: settings.duration(settings.progressRequeue)),
            artifacts: ArtifactSettings(
                artifactDirectories: settings.artifactDirectories, cacheDirectory: settings.artifactCache,
                maxDownloadBytes: settings.maxDownloadBytes, sqlRunnerJar: settings.sqlRunnerJar,
                pythonDriverJar: settings.pythonDriverJar, egress: settings.egressPolicy(protectedAddresses: []),
                trustedKeyFiles: settings.trustedKeyFiles, maxCacheBytes: settings.maxCacheBytes),
            flinkRequestTimeout: settings.duration(settings.flinkRequestTimeout),
            identity: identity,
            clusterScopedEventNamespace: settings.clusterScopedEventNamespace,
            stateDirectories: settings.stateDirectories.map { $0.hasPrefix("file:") ? $0 : "file://" + $0 })
    }
}

/// Keeps the health probes current: startup once the caches synced, readiness while caches are synced and (with
/// leader election) the elector is running — a standby is ready too.
struct HealthReporter: Service {
    let `operator`: FlinkOperator
    let elector: LeaderElector?
    let health: HealthState

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let synced = `operator`.hasSynced
                health.setReady("caches", synced, detail: synced ? "synced" : "waiting for the first list")
                if synced { health.markStartupComplete() }
                if let elector {
                    health.setReady("leader-election", true, detail: elector.isLeader ? "leading" : "standing by")
                }
                try await Task.sleep(for: .milliseconds(synced ? 1000 : 100))
            }
        }
    }
}

/// The wall clock the planner sees: the system clock.
///
/// Debug builds only (the test suites run them; release builds do not contain this): the clock can be read from
/// the file `FJC_TEST_CLOCK_FILE` names (seconds since 1970), which the end-to-end tests write to step through
/// cron schedules without waiting for minutes.
enum PlannerClock {
    static func from(environment: [String: String]) -> @Sendable () -> Date {
        #if !DEBUG
        return { Date() }
        #else
        guard let path = environment["FJC_TEST_CLOCK_FILE"], !path.isEmpty else { return { Date() } }
        return {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return Date() }
            return Date(timeIntervalSince1970: seconds)
        }
        #endif
    }
}
