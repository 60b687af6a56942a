/// Why an HTTP exchange failed; each case names the failing step.
///
/// Messages carry libcurl's own explanation (the `CURLOPT_ERRORBUFFER` text, or `curl_easy_strerror` when the
/// buffer is empty) and, where one exists, the `CURLcode`/`CURLMcode` number. They never contain request
/// headers, bodies, tokens or passwords.
public enum HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request cannot be sent as given (malformed or non-HTTP URL, a header with a line break, a body
    /// on a `HEAD` request).
    case invalidRequest(String)
    /// The client configuration is unusable (a client certificate without a key, a non-positive limit).
    case invalidConfiguration(String)
    /// The bearer-token provider threw; carries its description.
    case credentialsUnavailable(String)
    /// Name resolution or the TCP connection failed (refused, unreachable, unknown host).
    case connectFailed(String)
    /// The request's `ConnectionGuard` refused every address of the host; carries the refusal.
    case connectionRefusedByPolicy(String)
    /// The TLS handshake or certificate verification failed; the text starts with `TLS:` and says which.
    case tlsFailed(String)
    /// The connect, total or idle timeout elapsed.
    case timedOut(String)
    /// The calling task was cancelled or the response body's consumer went away.
    case cancelled
    /// The response body exceeded the limit in bytes (`maxResponseBodyBytes`, or `collect(upTo:)`'s).
    case bodyTooLarge(limit: Int)
    /// One line of a newline-delimited body exceeded the limit in bytes.
    case lineTooLong(limit: Int)
    /// The request body could not be read (file missing or unreadable, the source stream threw).
    case bodySourceFailed(String)
    /// Any other libcurl failure of a transfer, with the `CURLcode` number.
    case curl(code: Int, message: String)
    /// A failure of libcurl's multi interface, with the `CURLMcode` number.
    case multi(code: Int, message: String)
    /// The client was shut down before or while the request ran.
    case shutDown

    /// A one-line explanation naming the failing step.
    public var description: String {
        switch self {
        case .invalidRequest(let message): "invalid HTTP request: \(message)"
        case .invalidConfiguration(let message): "invalid HTTP client configuration: \(message)"
        case .credentialsUnavailable(let message): "could not obtain credentials: \(message)"
        case .connectFailed(let message): "connect failed: \(message)"
        case .connectionRefusedByPolicy(let message): "connection refused by policy: \(message)"
        case .tlsFailed(let message): message
        case .timedOut(let message): "timed out: \(message)"
        case .cancelled: "HTTP request cancelled"
        case .bodyTooLarge(let limit): "response body larger than the limit of \(limit) bytes"
        case .lineTooLong(let limit): "a line of the response body is longer than the limit of \(limit) bytes"
        case .bodySourceFailed(let message): "request body could not be read: \(message)"
        case .curl(let code, let message): "libcurl error \(code): \(message)"
        case .multi(let code, let message): "libcurl multi error \(code): \(message)"
        case .shutDown: "HTTP client is shut down"
        }
    }
}
