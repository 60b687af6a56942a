import Foundation
import HTTPTransport
import Logging

/// A typed client for the REST API of one Flink session cluster (Flink 2.x, verified against 2.3).
///
/// Every call is one HTTP exchange over the shared `HTTPClient` (kept-alive connections), limited by the
/// client's request timeout, and fails with a `FlinkRESTError` only. The client holds no state beyond its
/// configuration: it is a value, cheap to copy and safe to use from any task.
///
/// Idempotency is stated on each method: reads are idempotent; submissions are idempotent only with a
/// client-chosen job id, savepoint and stop triggers only with a client-chosen trigger id.
public struct FlinkRESTClient: Sendable {
    /// The base URL every path is appended to, without a trailing slash (it may carry a path prefix, e.g.
    /// `https://gateway.example/flink/prod`).
    public let baseURL: String
    /// Limit for ordinary calls.
    public let requestTimeout: Duration
    /// Limit for jar uploads and runs: running a jar executes the program's `main()` in the JobManager
    /// (SQL planning or a Python interpreter start take seconds).
    public let submissionTimeout: Duration

    private let http: any HTTPClient
    private let authentication: HTTPAuthentication?
    /// Where failed requests are logged (debug level).
    let logger: Logger

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - httpClient: the transport; shared, not owned (the caller shuts it down).
    ///   - baseURL: `http(s)://host[:port][/prefix]`; a trailing slash is ignored.
    ///   - authentication: sent with every request; `nil` uses the transport's default (usually none).
    ///   - requestTimeout: limit for each ordinary call.
    ///   - submissionTimeout: limit for jar uploads and runs.
    ///   - logger: where failures are logged at debug level (the caller decides what is worth more).
    /// - Throws: `FlinkRESTError.invalidRequest` when `baseURL` is not an absolute http(s) URL without query or
    ///   fragment.
    public init(
        httpClient: any HTTPClient,
        baseURL: String,
        authentication: HTTPAuthentication? = nil,
        requestTimeout: Duration = .seconds(30),
        submissionTimeout: Duration = .seconds(180),
        logger: Logger
    ) throws(FlinkRESTError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw .invalidRequest("base URL '\(baseURL)' is not an absolute http(s) URL without query or fragment")
        }
        self.baseURL = trimmed
        self.http = httpClient
        self.authentication = authentication
        self.requestTimeout = requestTimeout
        self.submissionTimeout = submissionTimeout
        self.logger = logger
    }

    // MARK: - Plumbing

    /// Percent-encodes one path segment (ids are validated types, but jar ids and vertex ids are plain text).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Sends one request; returns the response when its status is 2xx, else throws the classified error.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: HTTPRequestBody = .empty,
        contentType: String? = nil,
        timeout: Duration? = nil
    ) async throws(FlinkRESTError) -> HTTPResponse {
        let requestLine = "\(method.rawValue) \(path)"
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let contentType { headers["Content-Type"] = contentType }
        let request = HTTPRequest(
            method: method,
            url: baseURL + path,
            headers: headers,
            body: body,
            auth: authentication,
            timeout: timeout ?? requestTimeout
        )
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPTransportError {
            throw logged(FlinkRESTError(transport: error, request: requestLine))
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw logged(.unreachable("\(requestLine): \(error)"))
        }
        guard (200..<300).contains(response.status) else {
            throw logged(FlinkRESTError(
                status: response.status, body: response.body, request: requestLine,
                retryAfter: FlinkRESTError.retryAfter(header: response.headers["Retry-After"])))
        }
        return response
    }

    /// Sends a JSON body.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        json: some Encodable,
        timeout: Duration? = nil
    ) async throws(FlinkRESTError) -> HTTPResponse {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(json)
        } catch {
            throw .invalidRequest("\(method.rawValue) \(path): could not encode the request body: \(error)")
        }
        return try await send(method, path, body: .bytes(data), contentType: "application/json", timeout: timeout)
    }

    /// Decodes a 2xx body into `T`; anything undecodable is `unexpectedResponse`, never a trap.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, request: String) throws(FlinkRESTError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw logged(.unexpectedResponse(
                status: response.status,
                snippet: "\(request): undecodable \(T.self) (\(Self.describe(error))): \(FlinkRESTError.snippet(of: response.body))"
            ))
        }
    }

    /// `GET path` decoded into `T`.
    func get<T: Decodable>(_ path: String, as type: T.Type) async throws(FlinkRESTError) -> T {
        let response = try await send(.get, path)
        return try decode(T.self, from: response, request: "GET \(path)")
    }

    private func logged(_ error: FlinkRESTError) -> FlinkRESTError {
        logger.debug("Flink REST request failed", metadata: ["flink.rest.error": "\(error)"])
        return error
    }

    /// A one-line description of a decoding error: what was wrong and where.
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch decodingError {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "null at \(path(context))"
        case .dataCorrupted(let context): return "invalid data at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(decodingError)"
        }
    }
}
