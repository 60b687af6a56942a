import FlinkREST

/// Turns a `Deployment` into the Flink configuration a `POST /jars/:id/run` carries.
///
/// Keys the operator sets (the user's `flinkConfiguration` is applied last and wins, except where the CRD refuses a
/// key):
/// - `pipeline.name` = `namespace/name` (Flink uses it only where the program sets no name);
/// - checkpointing from `spec.checkpointing`, and for streaming jobs
///   `execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION`, so the latest checkpoint
///   survives a cancel or a JobManager restart (LastState upgrades and recovery depend on it);
/// - `execution.checkpointing.dir` / `execution.checkpointing.savepoint-dir` from the cluster's `jobDefaults` and
///   `spec.savepoints.directory`;
/// - the restart strategy from `spec.restartStrategy`;
/// - `execution.runtime-mode: BATCH` for batch jobs.
public enum FlinkSubmission {
    /// The per-job Flink configuration for `deployment`.
    public static func configuration(
        for deployment: Deployment, savepointDirectory: String?, checkpointDirectory: String?
    ) -> [String: String] {
        let spec = deployment.spec
        var config: [String: String] = ["pipeline.name": deployment.jobName]
        if spec.type == .batch {
            config["execution.runtime-mode"] = "BATCH"
        } else {
            config["execution.checkpointing.externalized-checkpoint-retention"] = "RETAIN_ON_CANCELLATION"
        }
        if let checkpointDirectory { config["execution.checkpointing.dir"] = checkpointDirectory }
        if let savepointDirectory { config["execution.checkpointing.savepoint-dir"] = savepointDirectory }
        if let checkpointing = spec.checkpointing {
            set(&config, "execution.checkpointing.interval", checkpointing.interval)
            set(&config, "execution.checkpointing.timeout", checkpointing.timeout)
            set(&config, "execution.checkpointing.min-pause", checkpointing.minPause)
            if let concurrent = checkpointing.maxConcurrent {
                config["execution.checkpointing.max-concurrent-checkpoints"] = String(concurrent)
            }
            config["execution.checkpointing.mode"] = checkpointing.mode == .exactlyOnce ? "EXACTLY_ONCE" : "AT_LEAST_ONCE"
        }
        if let strategy = spec.restartStrategy {
            switch strategy.type {
            case .none:
                config["restart-strategy.type"] = "none"
            case .fixedDelay:
                config["restart-strategy.type"] = "fixed-delay"
                if let attempts = strategy.attempts { config["restart-strategy.fixed-delay.attempts"] = String(attempts) }
                set(&config, "restart-strategy.fixed-delay.delay", strategy.delay)
            case .exponentialDelay:
                config["restart-strategy.type"] = "exponential-delay"
                if let attempts = strategy.attempts {
                    config["restart-strategy.exponential-delay.attempts-before-reset-backoff"] = String(attempts)
                }
                set(&config, "restart-strategy.exponential-delay.initial-backoff", strategy.delay)
            case .failureRate:
                config["restart-strategy.type"] = "failure-rate"
                if let attempts = strategy.attempts {
                    config["restart-strategy.failure-rate.max-failures-per-interval"] = String(attempts)
                }
                set(&config, "restart-strategy.failure-rate.delay", strategy.delay)
            }
        }
        config.merge(spec.flinkConfiguration) { _, user in user }
        return config
    }

    /// The run request for `deployment` of a program in jar `entryClass`, with `arguments` (the spec's `args`,
    /// or what the artifact kind dictates).
    public static func runRequest(
        for deployment: Deployment, entryClass: String?, arguments: [String], savepointDirectory: String?,
        checkpointDirectory: String?
    ) -> JarRunRequest {
        JarRunRequest(
            entryClass: entryClass,
            programArguments: arguments,
            parallelism: deployment.spec.parallelism,
            jobID: FlinkJobID(deployment.jobID),
            savepointPath: deployment.restorePath,
            allowNonRestoredState: deployment.restorePath == nil ? nil : deployment.allowNonRestoredState,
            claimMode: deployment.restorePath == nil ? nil : .noClaim,
            flinkConfiguration: configuration(
                for: deployment, savepointDirectory: savepointDirectory, checkpointDirectory: checkpointDirectory))
    }

    private static func set(_ config: inout [String: String], _ key: String, _ duration: String?) {
        guard let duration, let parsed = GoDuration.parse(duration) else { return }
        config[key] = GoDuration.flinkValue(parsed)
    }
}
