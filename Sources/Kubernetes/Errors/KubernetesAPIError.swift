/// An error answer of the API server: the `Status` it sent (or one synthesized from a non-JSON body), the HTTP
/// status code, the requested delay and which request it answered.
public struct KubernetesAPIError: Sendable, Hashable, CustomStringConvertible {
    /// The server's `Status`; for a non-JSON body, a synthesized one whose message keeps the text.
    public var status: Status
    /// The HTTP status code.
    public var statusCode: Int
    /// The delay the server asked for (`Retry-After` header, else `details.retryAfterSeconds`).
    public var retryAfter: Duration?
    /// The request method.
    public var method: String
    /// The request path (without the server address; query included).
    public var path: String

    /// An API error with the given values.
    public init(status: Status, statusCode: Int, retryAfter: Duration? = nil, method: String, path: String) {
        self.status = status
        self.statusCode = statusCode
        self.retryAfter = retryAfter
        self.method = method
        self.path = path
    }

    public var description: String {
        var text = "\(method) \(path) failed with \(statusCode)"
        if let reason = status.reason, !reason.isEmpty { text += " \(reason)" }
        if let message = status.message, !message.isEmpty { text += ": \(message)" }
        if let retryAfter { text += " (retry after \(retryAfter))" }
        return text
    }
}
