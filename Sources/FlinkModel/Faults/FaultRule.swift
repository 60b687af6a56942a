import FlinkREST
import Foundation

/// One fault `FaultyFlinkService` injects: which operations, on which calls, and what goes wrong.
public struct FaultRule: Sendable {
    /// Which matching calls the rule hits.
    public enum Trigger: Sendable, Hashable {
        /// Every matching call.
        case always
        /// The next `n` matching calls, then the rule is spent.
        case next(Int)
        /// The `n`-th matching call of the rule (1-based), once.
        case onCall(Int)
        /// Each matching call with this probability, drawn from the decorator's seeded generator.
        case probability(Double)
    }

    /// What happens to a hit call.
    public enum Fault: Sendable, Hashable {
        /// The call fails with the error before it reaches Flink (nothing changes).
        case fail(InjectedError)
        /// The call reaches Flink and takes effect, then the caller gets the error instead of the answer (a lost
        /// response): the case crash-safety tests need, e.g. a `runJar` that submitted the job but "timed out".
        case failAfterEffect(InjectedError)
        /// The call is slowed by this much (through the decorator's sleep function) and then proceeds.
        case delay(Duration)
    }

    /// The operations the rule applies to; empty: every operation.
    public var operations: Set<FlinkOperation>
    /// Which of their calls it hits.
    public var trigger: Trigger
    /// What it does to them.
    public var fault: Fault

    /// Creates a rule.
    public init(operations: Set<FlinkOperation>, trigger: Trigger, fault: Fault) {
        self.operations = operations
        self.trigger = trigger
        self.fault = fault
    }

    /// Fails the next `count` calls of `operations` (all operations when empty) with `error`, before Flink.
    public static func fail(
        _ operations: Set<FlinkOperation> = [], with error: InjectedError, next count: Int = 1
    ) -> FaultRule {
        FaultRule(operations: operations, trigger: .next(count), fault: .fail(error))
    }

    /// Fails calls of `operations` with probability `probability` (seeded) with `error`, before Flink.
    public static func fail(
        _ operations: Set<FlinkOperation> = [], with error: InjectedError, probability: Double
    ) -> FaultRule {
        FaultRule(operations: operations, trigger: .probability(probability), fault: .fail(error))
    }

    /// Lets the next `count` calls of `operations` take effect in Flink, then answers `error` instead.
    public static func failAfterEffect(
        _ operations: Set<FlinkOperation>, with error: InjectedError, next count: Int = 1
    ) -> FaultRule {
        FaultRule(operations: operations, trigger: .next(count), fault: .failAfterEffect(error))
    }

    /// Slows every call of `operations` by `duration`.
    public static func delay(_ operations: Set<FlinkOperation> = [], by duration: Duration) -> FaultRule {
        FaultRule(operations: operations, trigger: .always, fault: .delay(duration))
    }
}

/// An error to inject, made into the `FlinkRESTError` the real client would report for the operation.
public enum InjectedError: Sendable, Hashable {
    /// The request's time limit elapsed (`.timeout`).
    case timeout
    /// Connection refused (`.unreachable`).
    case unreachable
    /// Flink answered a 5xx with its JSON error body (`.serverError`), e.g. 503 while a JobManager is busy.
    case serverError(status: Int)
    /// A proxy in front of Flink answered with an HTML error page: classified by the client's own rules, so 502,
    /// 503 and 504 are `.unreachable`, 401/403 `.unauthorized`, anything else (e.g. 404, 500 or 200) an
    /// `.unexpectedResponse` whose snippet is the start of the page.
    case htmlPage(status: Int)
    /// The calling task was cancelled (`.cancelled`).
    case cancelled
    /// Exactly this error.
    case error(FlinkRESTError)

    /// The error for a call of `operation`, worded like the client's (the request first).
    public func error(for operation: FlinkOperation) -> FlinkRESTError {
        let request = operation.requestLine
        switch self {
        case .timeout:
            return .timeout("\(request): timed out (injected)")
        case .unreachable:
            return .unreachable("\(request): Failed to connect: Connection refused (injected)")
        case .serverError(let status):
            return .serverError(status: status, message: "\(request): Service temporarily unavailable (injected)")
        case .htmlPage(let status):
            return FlinkRESTError(status: status, body: Data(Self.htmlPage(status: status).utf8), request: request)
        case .cancelled:
            return .cancelled
        case .error(let error):
            return error
        }
    }

    /// An nginx-style error page.
    static func htmlPage(status: Int) -> String {
        "<html>\r\n<head><title>\(status) Error</title></head>\r\n<body>\r\n<center><h1>\(status) Error</h1></center>"
            + "\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    }
}
