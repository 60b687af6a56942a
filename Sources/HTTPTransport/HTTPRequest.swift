import Foundation

/// An HTTP method.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}

/// One HTTP request: what to send and how this one request authenticates and times out.
public struct HTTPRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The absolute URL, query included (`https://host:port/path?x=y`).
    public var url: String
    /// Request headers; `Content-Type` belongs here. `Authorization` is set from `auth`, not here.
    public var headers: HTTPHeaders
    /// What to send.
    public var body: HTTPRequestBody
    /// Authentication for this request; `nil` uses the client's default.
    public var auth: HTTPAuthentication?
    /// Limit for the whole exchange; `nil` uses the client's default (streams usually pass none and rely on
    /// the idle timeout).
    public var timeout: Duration?
    /// Checks every address the request connects to; `nil` allows any (see `ConnectionGuard`).
    public var connectionGuard: ConnectionGuard?

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: HTTPRequestBody = .empty,
        auth: HTTPAuthentication? = nil,
        timeout: Duration? = nil,
        connectionGuard: ConnectionGuard? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.auth = auth
        self.timeout = timeout
        self.connectionGuard = connectionGuard
    }
}

/// The body of a request.
public enum HTTPRequestBody: Sendable {
    /// No body.
    case empty
    /// Bytes held in memory.
    case bytes(Data)
    /// A file streamed from disk without loading it into memory.
    case file(path: String)
    /// Bytes produced on demand; `length` (when known) is sent as `Content-Length`, else chunked.
    case stream(AsyncThrowingStream<Data, any Error>, length: Int64?)
    /// A `multipart/form-data` form (e.g. a Flink jar upload), parts streamed from their sources.
    case multipart([MultipartPart])
}

/// One part of a `multipart/form-data` body.
public struct MultipartPart: Sendable {
    /// Where a part's content comes from.
    public enum Content: Sendable {
        case bytes(Data)
        case file(path: String)
    }

    /// The form field name (`jarfile` for Flink uploads).
    public var name: String
    /// The file name reported to the server, if any.
    public var filename: String?
    /// The part's `Content-Type`, if any.
    public var contentType: String?
    /// The content.
    public var content: Content

    public init(name: String, filename: String? = nil, contentType: String? = nil, content: Content) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.content = content
    }
}
