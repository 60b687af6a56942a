/// Why an operation of the operator's HTTP server failed; each case names the step that failed and carries its
/// cause.
public enum OperatorServerError: Error, CustomStringConvertible, Sendable {
    /// The `HOST:PORT` text of `server.listen` / `--listen` could not be parsed.
    case invalidListenAddress(String, reason: String)
    /// The server could not start listening on the address (port taken, unknown host, no permission).
    case listenFailed(address: ListenAddress, underlying: any Error)
    /// The server ended (stopped or failed) before it was listening, so it has no bound port.
    case notListening(address: ListenAddress)
    /// A file under `/proc` could not be opened or read; `errno` is the C error number.
    case procfsRead(path: String, errno: Int32)
    /// A file under `/proc` did not have the expected layout.
    case procfsMalformed(path: String, reason: String)
    /// Process metrics are only read from Linux's `/proc`; this platform has none.
    case procfsUnavailable

    public var description: String {
        switch self {
        case .invalidListenAddress(let text, let reason):
            "invalid listen address \"\(text)\": \(reason)"
        case .listenFailed(let address, let underlying):
            "cannot listen on \(address): \(underlying)"
        case .notListening(let address):
            "the server for \(address) ended before it was listening"
        case .procfsRead(let path, let errno):
            "cannot read \(path): errno \(errno)"
        case .procfsMalformed(let path, let reason):
            "unexpected content in \(path): \(reason)"
        case .procfsUnavailable:
            "process metrics need Linux /proc, which this platform does not have"
        }
    }
}
