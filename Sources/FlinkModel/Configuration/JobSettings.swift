/// The per-job Flink configuration keys the model acts on, parsed once at submission.
///
/// Keys (new names first, Flink 1.x names accepted): `execution.runtime-mode`, `execution.checkpointing.interval`,
/// `execution.checkpointing.dir` / `state.checkpoints.dir`, `execution.checkpointing.savepoint-dir` /
/// `state.savepoints.dir`, `execution.checkpointing.externalized-checkpoint-retention`, `restart-strategy.type` /
/// `restart-strategy` with `restart-strategy.fixed-delay.attempts|delay`,
/// `restart-strategy.exponential-delay.initial-backoff`, `restart-strategy.failure-rate.delay`.
struct JobSettings: Sendable, Hashable {
    /// What happens to a job's retained checkpoint when the job ends
    /// (`execution.checkpointing.externalized-checkpoint-retention`).
    enum Retention: Sendable, Hashable {
        /// Kept whatever happens (`RETAIN_ON_CANCELLATION`).
        case retainOnCancellation
        /// Kept when the job fails, deleted when it is cancelled, finishes or is suspended
        /// (`DELETE_ON_CANCELLATION`).
        case deleteOnCancellation
        /// Deleted whenever the job ends (`NO_EXTERNALIZED_CHECKPOINTS`, Flink 2.x's default).
        case neverRetain

        /// Whether the checkpoint is deleted when the job ends in `ending`.
        func discards(_ ending: JobEnding) -> Bool {
            switch (self, ending) {
            case (.retainOnCancellation, _): false
            case (.deleteOnCancellation, .failed): false
            case (.deleteOnCancellation, _): true
            case (.neverRetain, _): true
            }
        }
    }

    /// How the job reacts to a task failure.
    enum RestartPolicy: Sendable, Hashable {
        /// Fail for good (`none`; the default without checkpointing).
        case none
        /// Restart at most `attempts` times, `delay` ms apart (`fixed-delay`).
        case fixedDelay(attempts: Int, delay: Int64)
        /// Restart forever, `delay` ms apart (`exponential-delay`, the default with checkpointing, and
        /// `failure-rate`; the model keeps the delay constant).
        case unlimited(delay: Int64)

        /// Flink's name of the strategy in "Recovery is suppressed by …".
        var strategyName: String {
            switch self {
            case .none: "NoRestartBackoffTimeStrategy"
            case .fixedDelay(let attempts, let delay):
                "FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=\(attempts), backoffTimeMS=\(delay))"
            case .unlimited: "ExponentialDelayRestartBackoffTimeStrategy"
            }
        }

        /// The delay before restart number `restart` (1-based), or `nil` when the strategy gives up.
        func delay(beforeRestart restart: Int) -> Int64? {
            switch self {
            case .none: nil
            case .fixedDelay(let attempts, let delay): restart <= attempts ? delay : nil
            case .unlimited(let delay): delay
            }
        }
    }

    /// How the job ended, for retention.
    enum JobEnding: Sendable, Hashable {
        case finished, canceled, failed, suspended
    }

    /// `execution.runtime-mode: BATCH`.
    var isBatch: Bool
    /// The checkpoint interval in ms; `nil` when the job does not checkpoint periodically (batch jobs never do).
    var checkpointInterval: Int64?
    /// Where checkpoints go: `<dir>/<job id>/chk-<n>`.
    var checkpointDirectory: String
    /// The job's default savepoint directory.
    var savepointDirectory: String?
    /// What happens to the retained checkpoint when the job ends.
    var retention: Retention
    /// How the job reacts to task failures.
    var restartPolicy: RestartPolicy

    /// Parses `configuration` (the run request's `flinkConfiguration`) over the cluster's defaults.
    init(configuration: [String: String], cluster: InMemoryFlink.Configuration) {
        func value(_ keys: String...) -> String? {
            keys.lazy.compactMap { configuration[$0] }.first.map { $0.trimmingWhitespace() }
        }
        isBatch = value("execution.runtime-mode")?.uppercased() == "BATCH"
        let interval = value("execution.checkpointing.interval").flatMap(FlinkConfigValue.milliseconds)
        checkpointInterval = isBatch ? nil : interval.flatMap { $0 > 0 ? $0 : nil }
        checkpointDirectory = StoragePath.canonical(
            value("execution.checkpointing.dir", "state.checkpoints.dir") ?? cluster.checkpointDirectory)
        savepointDirectory = (value("execution.checkpointing.savepoint-dir", "state.savepoints.dir")
            ?? cluster.savepointDirectory).map(StoragePath.canonical)
        switch value(
            "execution.checkpointing.externalized-checkpoint-retention",
            "execution.checkpointing.externalization")?.uppercased()
        {
        case "RETAIN_ON_CANCELLATION": retention = .retainOnCancellation
        case "DELETE_ON_CANCELLATION": retention = .deleteOnCancellation
        default: retention = .neverRetain
        }
        let defaultDelay = cluster.timings.restartDelay.wholeMilliseconds
        func delay(_ key: String) -> Int64 {
            value(key).flatMap(FlinkConfigValue.milliseconds) ?? defaultDelay
        }
        switch value("restart-strategy.type", "restart-strategy")?.lowercased() {
        case "none", "off", "disable":
            restartPolicy = .none
        case "fixed-delay", "fixeddelay":
            restartPolicy = .fixedDelay(
                attempts: FlinkConfigValue.integer(value("restart-strategy.fixed-delay.attempts")) ?? 1,
                delay: delay("restart-strategy.fixed-delay.delay"))
        case "exponential-delay", "exponentialdelay":
            restartPolicy = .unlimited(delay: delay("restart-strategy.exponential-delay.initial-backoff"))
        case "failure-rate", "failurerate":
            restartPolicy = .unlimited(delay: delay("restart-strategy.failure-rate.delay"))
        default:
            restartPolicy = checkpointInterval == nil ? .none : .unlimited(delay: defaultDelay)
        }
    }
}
