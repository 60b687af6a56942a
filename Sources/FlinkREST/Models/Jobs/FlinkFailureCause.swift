/// A Java exception Flink reports as the cause of a failed job or operation (`failure-cause`).
public struct FlinkFailureCause: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The exception's class.
    public var className: String
    /// The whole stack trace (can be tens of KB).
    public var stackTrace: String

    /// Creates a cause.
    public init(className: String, stackTrace: String) {
        self.className = className
        self.stackTrace = stackTrace
    }

    /// The exception classes and messages of the cause chain, at most about 1 KB (see `FlinkErrorText`).
    public var summary: String {
        let summary = FlinkErrorText.summary(ofStackTrace: stackTrace)
        return summary.isEmpty ? className : summary
    }

    /// Whether the failure says the savepoint or checkpoint does not exist (e.g. disposing of one that is
    /// already gone, restoring from a wrong path).
    public var isMissingSavepoint: Bool {
        stackTrace.contains("Cannot find checkpoint or savepoint")
    }

    /// Whether the failure says Flink does not know the job (an operation on a finished or unknown job).
    public var isJobNotFound: Bool {
        stackTrace.contains("FlinkJobNotFoundException")
    }

    public var description: String { summary }

    enum CodingKeys: String, CodingKey {
        case className = "class"
        case stackTrace = "stack-trace"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        className = try container.decodeIfPresent(String.self, forKey: .className) ?? "unknown"
        stackTrace = try container.decodeIfPresent(String.self, forKey: .stackTrace) ?? ""
    }
}
