/// Why the Flink test support could not provide what a test asked for; each case names the failing step.
public enum FlinkTestSupportError: Error, Sendable, CustomStringConvertible {
    /// The repository root (with `scripts/flink-session.sh`) was not found above this source file.
    case repositoryNotFound(String)
    /// `scripts/flink-session.sh` failed; carries the command, its exit status and its messages.
    case scriptFailed(command: String, status: Int32, output: String)
    /// The script's output lacked something expected (a URL, a jar path).
    case unexpectedScriptOutput(command: String, output: String)
    /// A test asked to restart or stop a shared instance; only dedicated instances may be disturbed.
    case sharedInstance(String)
    /// A polled condition did not hold within its timeout.
    case pollTimedOut(what: String, timeout: Duration, lastError: String?)
    /// A loopback test server (the proxy in front of Flink's REST API, an artifact server) did not start listening.
    case serverDidNotStart(String)

    public var description: String {
        switch self {
        case .repositoryNotFound(let message):
            "repository root not found: \(message)"
        case .scriptFailed(let command, let status, let output):
            "\(command) failed with exit status \(status):\n\(output)"
        case .unexpectedScriptOutput(let command, let output):
            "unexpected output of \(command):\n\(output)"
        case .sharedInstance(let name):
            "instance '\(name)' is shared by parallel tests; restart or stop only a dedicated instance"
        case .pollTimedOut(let what, let timeout, let lastError):
            "timed out after \(timeout) waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? "")
        case .serverDidNotStart(let label):
            "the loopback test server \(label) did not start"
        }
    }
}
