import FlinkREST
import Synchronization

/// A `FlinkService` decorator that injects faults into calls to any other `FlinkService` (the in-memory model or
/// the real client), deterministically from a seed.
///
/// Per call, in order: the `before` hook; the rules (in the order added: every hitting `delay` adds its delay,
/// the first hitting `fail`/`failAfterEffect` decides the outcome); the delays through `sleep`; a `fail` throws
/// without calling the wrapped service; otherwise the wrapped service is called; the `after` hook sees its real
/// result; a `failAfterEffect` then replaces the answer with its error.
///
/// Hooks for crash-safety tests: to simulate the operator process dying right after Flink accepted a submission,
/// install an `after` hook that throws `FlinkRESTError.cancelled` for `.runJar` once the result is a success: the
/// job exists in Flink, the caller never learns it, and the test then starts a fresh operator against the same
/// wrapped model. A `before` hook that records `operation` gives the order of calls across concurrent callers.
///
/// Determinism: probability rules draw from a `SeededGenerator`; with the same seed and the same order of calls the
/// same calls fail. Sendable: rules, counters and hooks sit behind one `Mutex`, never held across an `await`.
public final class FaultyFlinkService: FlinkService {
    /// Runs before every call; throwing fails the call before anything else happens.
    public typealias BeforeHook = @Sendable (FlinkOperation) async throws(FlinkRESTError) -> Void
    /// Runs after the wrapped service answered, with its result (the answer's value or error); throwing replaces
    /// the answer.
    public typealias AfterHook = @Sendable (FlinkOperation, Result<any Sendable, FlinkRESTError>) async throws(
        FlinkRESTError
    ) -> Void
    /// Waits for an injected delay; simulations pass one that advances a virtual clock.
    public typealias Sleep = @Sendable (Duration) async throws(FlinkRESTError) -> Void
    /// Changes a `jars/:id/run` request on its way to Flink: how a fault-simulation "mutant" (a deliberately broken
    /// operator build — a forgotten restore path, random job ids) is expressed without touching the operator.
    public typealias RunRewrite = @Sendable (JarRunRequest) -> JarRunRequest

    private struct ActiveRule {
        var rule: FaultRule
        var matchingCalls = 0
        var spent = false
    }

    private struct State {
        var rules: [ActiveRule] = []
        var random: SeededGenerator
        var calls: [FlinkOperation: Int] = [:]
        var injected: [FlinkOperation: Int] = [:]
        var before: BeforeHook?
        var after: AfterHook?
        var rewriteRun: RunRewrite?
    }

    /// What the rules decided for one call.
    private struct Plan {
        var delay: Duration = .zero
        var fault: FaultRule.Fault?
    }

    /// The wrapped service.
    public let base: any FlinkService
    private let sleep: Sleep
    private let state: Mutex<State>

    /// Wraps `base`; `sleep` waits for injected delays (default: `Task.sleep`, cancellation → `.cancelled`).
    public init(wrapping base: any FlinkService, seed: UInt64 = 0, sleep: Sleep? = nil) {
        self.base = base
        if let sleep {
            self.sleep = sleep
        } else {
            self.sleep = Self.taskSleep
        }
        state = Mutex(State(random: SeededGenerator(seed: seed)))
    }

    public var endpoint: String { base.endpoint }

    /// The default sleep: real time, a cancelled task ends it with `.cancelled`.
    @Sendable private static func taskSleep(_ duration: Duration) async throws(FlinkRESTError) {
        do { try await Task.sleep(for: duration) } catch { throw .cancelled }
    }

    // MARK: Configuration

    /// Adds a rule after the existing ones.
    public func add(_ rule: FaultRule) {
        state.withLock { $0.rules.append(ActiveRule(rule: rule)) }
    }

    /// Removes every rule (counters and hooks stay).
    public func removeAllRules() {
        state.withLock { $0.rules.removeAll() }
    }

    /// Sets (or with `nil` removes) the hook run before every call.
    public func setBefore(_ hook: BeforeHook?) {
        state.withLock { $0.before = hook }
    }

    /// Sets (or with `nil` removes) the hook run after the wrapped service answered.
    public func setAfter(_ hook: AfterHook?) {
        state.withLock { $0.after = hook }
    }

    /// Rewrites every `runJar` request before it reaches Flink (`nil`: none).
    public func setRunRewrite(_ rewrite: RunRewrite?) {
        state.withLock { $0.rewriteRun = rewrite }
    }

    /// How many calls of `operation` were made (including failed ones).
    public func callCount(_ operation: FlinkOperation) -> Int {
        state.withLock { $0.calls[operation] ?? 0 }
    }

    /// How many calls of `operation` got an injected error.
    public func injectedCount(_ operation: FlinkOperation) -> Int {
        state.withLock { $0.injected[operation] ?? 0 }
    }

    // MARK: Interception

    private func plan(for operation: FlinkOperation) -> (Plan, BeforeHook?, AfterHook?) {
        state.withLock { state in
            state.calls[operation, default: 0] += 1
            var plan = Plan()
            for index in state.rules.indices {
                let rule = state.rules[index].rule
                guard !state.rules[index].spent, rule.operations.isEmpty || rule.operations.contains(operation) else {
                    continue
                }
                state.rules[index].matchingCalls += 1
                let hits: Bool
                switch rule.trigger {
                case .always:
                    hits = true
                case .next(let count):
                    hits = state.rules[index].matchingCalls <= count
                    if state.rules[index].matchingCalls >= count { state.rules[index].spent = true }
                case .onCall(let number):
                    hits = state.rules[index].matchingCalls == number
                    if hits { state.rules[index].spent = true }
                case .probability(let probability):
                    hits = state.random.chance(probability)
                }
                guard hits else { continue }
                switch rule.fault {
                case .delay(let duration): plan.delay += duration
                case .fail, .failAfterEffect: if plan.fault == nil { plan.fault = rule.fault }
                }
            }
            if plan.fault != nil { state.injected[operation, default: 0] += 1 }
            return (plan, state.before, state.after)
        }
    }

    private func intercept<Value: Sendable>(
        _ operation: FlinkOperation, _ call: () async throws(FlinkRESTError) -> Value
    ) async throws(FlinkRESTError) -> Value {
        let (plan, before, after) = plan(for: operation)
        if let before { try await before(operation) }
        if plan.delay > .zero { try await sleep(plan.delay) }
        if case .fail(let error) = plan.fault { throw error.error(for: operation) }
        let result: Result<Value, FlinkRESTError>
        do {
            result = .success(try await call())
        } catch {
            result = .failure(error)
        }
        if let after { try await after(operation, result.map { $0 as any Sendable }) }
        if case .failAfterEffect(let error) = plan.fault { throw error.error(for: operation) }
        return try result.get()
    }

    // MARK: FlinkService

    public func clusterOverview() async throws(FlinkRESTError) -> ClusterOverview {
        try await intercept(.clusterOverview) { () async throws(FlinkRESTError) in try await base.clusterOverview() }
    }

    public func jobManagerConfiguration() async throws(FlinkRESTError) -> JobManagerConfiguration {
        try await intercept(.jobManagerConfiguration) { () async throws(FlinkRESTError) in
            try await base.jobManagerConfiguration()
        }
    }

    public func jobsOverview() async throws(FlinkRESTError) -> [JobOverview] {
        try await intercept(.jobsOverview) { () async throws(FlinkRESTError) in try await base.jobsOverview() }
    }

    public func jobStatus(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> FlinkJobState {
        try await intercept(.jobStatus) { () async throws(FlinkRESTError) in try await base.jobStatus(jobID) }
    }

    public func jobDetails(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobDetails {
        try await intercept(.jobDetails) { () async throws(FlinkRESTError) in try await base.jobDetails(jobID) }
    }

    public func jobExceptions(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExceptionHistory {
        try await intercept(.jobExceptions) { () async throws(FlinkRESTError) in try await base.jobExceptions(jobID) }
    }

    public func jobMetrics(_ jobID: FlinkJobID, names: [String]) async throws(FlinkRESTError) -> [String: String] {
        try await intercept(.jobMetrics) { () async throws(FlinkRESTError) in
            try await base.jobMetrics(jobID, names: names)
        }
    }

    public func jobExecutionResult(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> JobExecutionResultStatus {
        try await intercept(.jobExecutionResult) { () async throws(FlinkRESTError) in
            try await base.jobExecutionResult(jobID)
        }
    }

    public func cancelJob(_ jobID: FlinkJobID) async throws(FlinkRESTError) {
        try await intercept(.cancelJob) { () async throws(FlinkRESTError) in try await base.cancelJob(jobID) }
    }

    public func checkpointStatistics(_ jobID: FlinkJobID) async throws(FlinkRESTError) -> CheckpointStatistics? {
        try await intercept(.checkpointStatistics) { () async throws(FlinkRESTError) in
            try await base.checkpointStatistics(jobID)
        }
    }

    public func triggerSavepoint(
        of jobID: FlinkJobID, targetDirectory: String?, cancelJob: Bool, formatType: SavepointFormatType?,
        triggerID: FlinkTriggerID?
    ) async throws(FlinkRESTError) -> FlinkTriggerID {
        try await intercept(.triggerSavepoint) { () async throws(FlinkRESTError) in
            try await base.triggerSavepoint(
                of: jobID, targetDirectory: targetDirectory, cancelJob: cancelJob, formatType: formatType,
                triggerID: triggerID)
        }
    }

    public func stopWithSavepoint(
        _ jobID: FlinkJobID, targetDirectory: String?, drain: Bool, formatType: SavepointFormatType?,
        triggerID: FlinkTriggerID?
    ) async throws(FlinkRESTError) -> FlinkTriggerID {
        try await intercept(.stopWithSavepoint) { () async throws(FlinkRESTError) in
            try await base.stopWithSavepoint(
                jobID, targetDirectory: targetDirectory, drain: drain, formatType: formatType, triggerID: triggerID)
        }
    }

    public func savepointStatus(of jobID: FlinkJobID, trigger triggerID: FlinkTriggerID) async throws(FlinkRESTError)
        -> SavepointStatus
    {
        try await intercept(.savepointStatus) { () async throws(FlinkRESTError) in
            try await base.savepointStatus(of: jobID, trigger: triggerID)
        }
    }

    public func disposeSavepoint(at path: String) async throws(FlinkRESTError) -> FlinkTriggerID {
        try await intercept(.disposeSavepoint) { () async throws(FlinkRESTError) in
            try await base.disposeSavepoint(at: path)
        }
    }

    public func uploadJar(at path: String, fileName: String?) async throws(FlinkRESTError) -> UploadedJar {
        try await intercept(.uploadJar) { () async throws(FlinkRESTError) in
            try await base.uploadJar(at: path, fileName: fileName)
        }
    }

    public func listJars() async throws(FlinkRESTError) -> [JarFileInfo] {
        try await intercept(.listJars) { () async throws(FlinkRESTError) in try await base.listJars() }
    }

    public func deleteJar(_ jarID: String) async throws(FlinkRESTError) {
        try await intercept(.deleteJar) { () async throws(FlinkRESTError) in try await base.deleteJar(jarID) }
    }

    public func runJar(_ jarID: String, _ request: JarRunRequest) async throws(FlinkRESTError) -> FlinkJobID {
        let request = state.withLock { $0.rewriteRun }.map { $0(request) } ?? request
        return try await intercept(.runJar) { () async throws(FlinkRESTError) in try await base.runJar(jarID, request) }
    }

    public func backpressure(of jobID: FlinkJobID, vertex vertexID: String) async throws(FlinkRESTError)
        -> VertexBackpressure
    {
        try await intercept(.backpressure) { () async throws(FlinkRESTError) in
            try await base.backpressure(of: jobID, vertex: vertexID)
        }
    }

    public func resourceRequirements(of jobID: FlinkJobID) async throws(FlinkRESTError) -> JobResourceRequirements {
        try await intercept(.resourceRequirements) { () async throws(FlinkRESTError) in
            try await base.resourceRequirements(of: jobID)
        }
    }

    public func updateResourceRequirements(of jobID: FlinkJobID, _ requirements: JobResourceRequirements)
        async throws(FlinkRESTError)
    {
        try await intercept(.updateResourceRequirements) { () async throws(FlinkRESTError) in
            try await base.updateResourceRequirements(of: jobID, requirements)
        }
    }
}
