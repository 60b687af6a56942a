/// A job's failures, newest first, from `GET /jobs/:id/exceptions` (cached by Flink for
/// `web.refresh-interval`).
public struct JobExceptionHistory: Codable, Hashable, Sendable {
    /// One failure.
    public struct Entry: Codable, Hashable, Sendable {
        /// The exception's class.
        public var exceptionName: String
        /// The whole stack trace.
        public var stackTrace: String
        /// When it happened (epoch ms).
        public var timestamp: Int64
        /// The failing task, for task failures.
        public var taskName: String?
        /// The TaskManager endpoint of the failing task.
        public var endpoint: String?
        /// Labels attached by failure enrichers.
        public var failureLabels: [String: String]?
        /// Failures of other tasks at the same time (for a job that failed for good, the user's exception is
        /// usually here and in the `Caused by:` chain of the global entry).
        public var concurrentExceptions: [Entry]?

        /// Creates an entry.
        public init(
            exceptionName: String, stackTrace: String, timestamp: Int64, taskName: String? = nil,
            endpoint: String? = nil, failureLabels: [String: String]? = nil, concurrentExceptions: [Entry]? = nil
        ) {
            self.exceptionName = exceptionName
            self.stackTrace = stackTrace
            self.timestamp = timestamp
            self.taskName = taskName
            self.endpoint = endpoint
            self.failureLabels = failureLabels
            self.concurrentExceptions = concurrentExceptions
        }

        /// The exception classes and messages of the cause chain, at most about 1 KB.
        public var summary: String {
            let summary = FlinkErrorText.summary(ofStackTrace: stackTrace)
            return summary.isEmpty ? exceptionName : summary
        }

        enum CodingKeys: String, CodingKey {
            case exceptionName
            case stackTrace = "stacktrace"
            case timestamp, taskName, endpoint, failureLabels, concurrentExceptions
        }
    }

    /// The failures, newest first.
    public var entries: [Entry]
    /// Whether Flink dropped older entries.
    public var truncated: Bool

    /// Creates a history.
    public init(entries: [Entry], truncated: Bool = false) {
        self.entries = entries
        self.truncated = truncated
    }

    enum CodingKeys: String, CodingKey {
        case entries, truncated
    }
}

/// The body of `GET /jobs/:id/exceptions`.
struct JobExceptionsResponse: Codable {
    var exceptionHistory: JobExceptionHistory
}
