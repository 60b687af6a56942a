import ControllerRuntime
import FlinkJobOperator
import Foundation
import LocalMode
import Logging
import Metrics
import OperatorServer
import Prometheus
import ServiceLifecycle

/// Runs the operator without Kubernetes (`run --local`): the same `FlinkOperator` (caches, controllers, planner)
/// on the local backend — manifests from `--manifests` directories, state in the SQLite file `--state`.
///
/// Leadership is the state file's lock (a second instance on the same file refuses to start); the metrics and
/// health server runs as in Kubernetes mode. Service order as in `OperatorProcess`: the group shuts down in
/// reverse, so on SIGTERM the controllers drain first, then the caches and the event recorder, then the file
/// watcher, and the server last; the state file is closed and its lock released at the end.
struct LocalOperatorProcess {
    let settings: OperatorConfiguration
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    let metricsFactory: any MetricsFactory

    func run() async throws {
        let health = HealthState()
        let server = OperatorServer(
            address: try ListenAddress(parsing: settings.listen), registry: registry, health: health, logger: logger)
        let runtime: LocalRuntime
        do {
            runtime = try LocalRuntime.start(
                LocalModeSettings(
                    manifestDirectories: settings.manifestDirectories, statePath: settings.stateFile,
                    artifactDirectories: settings.artifactDirectories,
                    deletion: DeletionGuard.Settings(
                        grace: settings.duration(settings.deletionGrace), massThreshold: settings.massDeletionThreshold,
                        massGrace: settings.duration(settings.massDeletionGrace))),
                logger: logger)
        } catch {
            // Also in plain text: "another instance runs on this state file" must be readable without a JSON viewer.
            var standardError = StandardError()
            print("flink-job-controller: \(error)", to: &standardError)
            throw error
        }
        let identity = "local_" + LeaderElectionConfiguration.defaultIdentity()
        var logger = logger
        logger[metadataKey: "operator.identity"] = "\(identity)"
        let environment = ProcessInfo.processInfo.environment
        var operatorSettings = OperatorProcess(
            settings: settings, logger: logger, registry: registry, metricsFactory: metricsFactory
        ).operatorSettings(identity: identity, ownNamespace: "default", environment: environment)
        if settings.stateDirectories.isEmpty {
            // Local mode runs next to its Flink: every local checkpoint directory is Flink's too.
            operatorSettings.stateDirectories = ["file:///"]
        }
        let flinkOperator: FlinkOperator
        do {
            flinkOperator = try FlinkOperator(
                backend: runtime.backend, settings: operatorSettings, logger: logger, metricsFactory: metricsFactory)
        } catch {
            runtime.close()
            throw error
        }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server), .init(service: runtime.watcher)]
        services += flinkOperator.cacheServices.map { .init(service: $0) }
        services.append(.init(service: HealthReporter(operator: flinkOperator, elector: nil, health: health)))
        services += flinkOperator.controllerServices.map { .init(service: $0) }
        logger.info("Starting in local mode", metadata: [
            "manifests": "\(settings.manifestDirectories.joined(separator: ","))", "state": "\(settings.stateFile)",
            "artifact_dirs": "\(settings.artifactDirectories.joined(separator: ","))", "listen": "\(settings.listen)",
        ])
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await flinkOperator.shutdown()
            runtime.close()
            throw error
        }
        await flinkOperator.shutdown()
        runtime.close()
        logger.info("Stopped")
    }
}
