import Foundation

/// A complete response: status, headers and the whole body in memory.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response headers of the final response (after any `100 Continue`).
    public var headers: HTTPHeaders
    /// The body.
    public var body: Data

    public init(status: Int, headers: HTTPHeaders, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response whose body arrives as a stream (watches, large downloads).
///
/// The transfer stays open until the body is read to its end, the consumer stops iterating (dropping the
/// iterator cancels the transfer), or the enclosing task is cancelled.
public struct HTTPStreamingResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response headers.
    public var headers: HTTPHeaders
    /// The body, chunk by chunk, with back-pressure: the transfer pauses while the consumer does not read.
    public var body: HTTPBodyStream

    public init(status: Int, headers: HTTPHeaders, body: HTTPBodyStream) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
