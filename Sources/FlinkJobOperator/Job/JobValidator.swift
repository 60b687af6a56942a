import Foundation

/// Checks a FlinkJob beyond what the CRD schema can say, with messages that name the field.
///
/// The same rules run in the operator (a violation gives `Ready=False, reason=InvalidSpec`) and offline in
/// `flink-job-controller validate`. Cluster-dependent rules (namespace policy, quotas, artifact policy) come from
/// the cluster registry and are appended by the caller. Local mode has no API server to apply the CRD's schema
/// and CEL rules, so the rules the CRD states are repeated here.
public struct JobValidator: Sendable {
    /// Directories `file://` artifacts may come from (empty: `file://` is refused; `nil`: unknown, as in offline
    /// validation, so `file://` paths are not checked against them).
    public var artifactDirectories: [String]?

    public init(artifactDirectories: [String]?) {
        self.artifactDirectories = artifactDirectories
    }

    /// Keys a FlinkJob may not set in `flinkConfiguration`: they belong to the session cluster or to the operator.
    /// Among the operator's: the restore path and its options (chosen by the restore-point policy), the checkpoint
    /// retention (`RETAIN_ON_CANCELLATION` is what LastState upgrades and lost-job recovery restore from — a
    /// job that deleted its checkpoints on cancel would lose its state silently), the runtime mode (`spec.type`)
    /// and the savepoint directory (`spec.savepoints.directory`, where the operator looks for savepoints).
    public static let reservedConfigurationPrefixes = ["taskmanager.", "jobmanager.", "kubernetes.", "$internal."]
    public static let reservedConfigurationKeys: Set<String> = [
        "parallelism.default", "execution.savepoint.path", "execution.state-recovery.path",
        "execution.savepoint.ignore-unclaimed-state", "execution.state-recovery.ignore-unclaimed-state",
        "execution.state-recovery.claim-mode", "execution.checkpointing.externalized-checkpoint-retention",
        "execution.runtime-mode", "execution.checkpointing.savepoint-dir", "state.savepoints.dir",
    ]

    /// Every problem with `job`; empty when it is valid.
    public func problems(_ job: FlinkJob) -> [String] {
        var problems: [String] = []
        let spec = job.spec
        artifactProblems(spec.artifact, into: &problems)
        if spec.parallelism < 1 || spec.parallelism > 32768 {
            problems.append("spec.parallelism must be between 1 and 32768, not \(spec.parallelism)")
        }
        for (key, _) in spec.flinkConfiguration ?? [:] {
            if Self.reservedConfigurationKeys.contains(key)
                || Self.reservedConfigurationPrefixes.contains(where: { key.hasPrefix($0) })
            {
                problems.append("spec.flinkConfiguration.\(key) cannot be set per job (it belongs to the session cluster or the operator)")
            }
        }
        duration(spec.checkpointing?.interval, "spec.checkpointing.interval", positive: true, into: &problems)
        duration(spec.checkpointing?.timeout, "spec.checkpointing.timeout", positive: true, into: &problems)
        duration(spec.checkpointing?.minPause, "spec.checkpointing.minPause", into: &problems)
        if let concurrent = spec.checkpointing?.maxConcurrent, concurrent < 1 {
            problems.append("spec.checkpointing.maxConcurrent must be at least 1")
        }
        if let strategy = spec.restartStrategy {
            duration(strategy.delay, "spec.restartStrategy.delay", into: &problems)
            if strategy.type == .none, strategy.attempts != nil || strategy.delay != nil {
                problems.append("spec.restartStrategy.type None takes no attempts or delay")
            }
            if let attempts = strategy.attempts, attempts < 0 {
                problems.append("spec.restartStrategy.attempts must not be negative")
            }
        }
        duration(spec.savepoints?.periodicInterval, "spec.savepoints.periodicInterval", positive: true, into: &problems)
        duration(spec.savepoints?.maxAge, "spec.savepoints.maxAge", positive: true, into: &problems)
        if let limit = spec.savepoints?.historyLimit, limit < 1 {
            problems.append("spec.savepoints.historyLimit must be at least 1")
        }
        duration(spec.health?.maxCheckpointAge, "spec.health.maxCheckpointAge", positive: true, into: &problems)
        if let failures = spec.health?.maxCheckpointFailures, failures < 1 {
            problems.append("spec.health.maxCheckpointFailures must be at least 1")
        }
        if let threshold = spec.health?.backpressureThreshold, !(1...100).contains(threshold) {
            problems.append("spec.health.backpressureThreshold is a percentage between 1 and 100, not \(threshold)")
        }
        duration(spec.rollback.readinessTimeout, "spec.rollback.readinessTimeout", positive: true, into: &problems)
        if spec.recovery.backoffLimit < 0 { problems.append("spec.recovery.backoffLimit must not be negative") }
        if spec.upgradeMode == .lastState, spec.type == .streaming, spec.checkpointing == nil {
            problems.append("spec.upgradeMode LastState restores from checkpoints, so spec.checkpointing must be set")
        }
        batchProblems(spec, into: &problems)
        return problems
    }

    func artifactProblems(_ artifact: FlinkJobSpec.Artifact, into problems: inout [String]) {
        let kinds = [artifact.jar != nil, artifact.python != nil, artifact.sql != nil].filter { $0 }.count
        if kinds != 1 {
            problems.append("spec.artifact must name exactly one of jar, python or sql (it names \(kinds))")
        }
        if let jar = artifact.jar { uriProblems(jar.uri, "spec.artifact.jar.uri", into: &problems) }
        if let python = artifact.python {
            uriProblems(python.uri, "spec.artifact.python.uri", into: &problems)
            if !python.uri.hasSuffix(".py"), python.module == nil {
                problems.append("spec.artifact.python.module is required when the uri is an archive rather than a .py file")
            }
        }
        if let sql = artifact.sql {
            if (sql.statements == nil) == (sql.configMapRef == nil) {
                problems.append("spec.artifact.sql needs exactly one of statements or configMapRef")
            }
            if let statements = sql.statements, statements.isEmpty || statements.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                problems.append("spec.artifact.sql.statements must not be empty or contain empty statements")
            }
            if artifact.digest != nil || artifact.signature != nil {
                problems.append("spec.artifact.digest and signature apply to jar and python artifacts, not sql")
            }
        }
        if let digest = artifact.digest {
            let hex = digest.dropFirst(7)
            if !digest.hasPrefix("sha256:") || hex.count != 64 || !hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                problems.append("spec.artifact.digest must be sha256:<64 lowercase hex digits>, not \"\(digest.prefix(80))\"")
            }
        }
        if let signature = artifact.signature {
            if (signature.value == nil) == (signature.uri == nil) {
                problems.append("spec.artifact.signature needs exactly one of value or uri")
            }
            if let uri = signature.uri { uriProblems(uri, "spec.artifact.signature.uri", into: &problems) }
            if let value = signature.value, Data(base64Encoded: value.trimmingCharacters(in: .whitespacesAndNewlines)) == nil {
                problems.append("spec.artifact.signature.value is not valid base64")
            }
        }
    }

    func uriProblems(_ uri: String, _ field: String, into problems: inout [String]) {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased() else {
            problems.append("\(field) \"\(uri.prefix(200))\" is not a URI")
            return
        }
        switch scheme {
        case "http", "https":
            if (components.host ?? "").isEmpty { problems.append("\(field) \"\(uri.prefix(200))\" has no host") }
        case "file":
            let path = components.path
            if !path.hasPrefix("/") {
                problems.append("\(field) must be an absolute file:/// path")
            } else if path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
                problems.append("\(field) must not contain '..' or '.' segments")
            } else if let artifactDirectories, artifactDirectories.isEmpty {
                problems.append("\(field): file:// artifacts are disabled (the operator has no artifact directories configured)")
            } else if let artifactDirectories,
                !artifactDirectories.contains(where: { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") })
            {
                problems.append("\(field) \(path) is outside the operator's artifact directories \(artifactDirectories)")
            }
        default:
            problems.append("\(field) scheme \(scheme):// is not supported (use https, http or file)")
        }
    }

    func batchProblems(_ spec: FlinkJobSpec, into problems: inout [String]) {
        guard let batch = spec.batch else { return }
        guard spec.type == .batch else {
            problems.append("spec.batch may only be set when spec.type is Batch")
            return
        }
        if let schedule = batch.schedule {
            do {
                _ = try CronSchedule(schedule, timeZone: batch.timeZone)
            } catch {
                problems.append("spec.batch.schedule: \(error)")
            }
            if batch.ttlSecondsAfterFinished != nil {
                problems.append("spec.batch.ttlSecondsAfterFinished applies to one-off batch jobs, not scheduled ones")
            }
        } else {
            if batch.timeZone != nil { problems.append("spec.batch.timeZone needs spec.batch.schedule") }
            if batch.startingDeadlineSeconds != nil { problems.append("spec.batch.startingDeadlineSeconds needs spec.batch.schedule") }
            if batch.maxRuns != nil { problems.append("spec.batch.maxRuns needs spec.batch.schedule") }
        }
        for (value, field) in [
            (batch.startingDeadlineSeconds, "startingDeadlineSeconds"), (batch.activeDeadlineSeconds, "activeDeadlineSeconds"),
            (batch.ttlSecondsAfterFinished, "ttlSecondsAfterFinished"),
        ] {
            if let value, value < 0 { problems.append("spec.batch.\(field) must not be negative") }
        }
        if let maxRuns = batch.maxRuns, maxRuns < 1 { problems.append("spec.batch.maxRuns must be at least 1") }
        if batch.successfulRunsHistoryLimit < 0 || batch.failedRunsHistoryLimit < 0 {
            problems.append("spec.batch history limits must not be negative")
        }
    }

    func duration(_ text: String?, _ field: String, positive: Bool = false, into problems: inout [String]) {
        guard let text else { return }
        guard let parsed = GoDuration.parse(text) else {
            problems.append("\(field) \"\(text.prefix(64))\" is not a duration (use e.g. 30s, 5m, 1h30m)")
            return
        }
        if positive && parsed <= .zero { problems.append("\(field) must be greater than zero") }
    }
}
