import Foundation
import HTTPTransport
import JSONCore
import Logging

/// The Kubernetes API client: configuration, an HTTP transport and a logger.
///
/// Cheap to copy and safe to share between tasks. Every request sends `Accept: application/json`, this client's
/// `User-Agent` and the configured credentials, and is logged at debug level (method, path, status, duration —
/// never credentials). Per-kind operations live on `ResourceClient`, obtained with `resources(_:namespace:)`.
public struct KubernetesClient: Sendable {
    /// The version reported in the default `User-Agent`.
    public static let version = "0.1.0"
    /// `flink-job-controller/<version>`.
    public static let defaultUserAgent = "flink-job-controller/\(version)"

    /// Where the server is and how to authenticate.
    public let configuration: KubernetesConfiguration
    /// The transport.
    public let httpClient: any HTTPClient
    /// Where request logs go.
    public let logger: Logger
    /// The `User-Agent` header value.
    public let userAgent: String

    /// A client over the given transport. The transport's own TLS settings must match `configuration.tls`;
    /// credentials are attached per request from `configuration.authentication` (when that is `nil`, the
    /// transport's default credentials, if any, apply).
    public init(
        configuration: KubernetesConfiguration, httpClient: any HTTPClient, logger: Logger,
        userAgent: String = KubernetesClient.defaultUserAgent
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.userAgent = userAgent
    }

    /// Operations on a typed kind in `namespace`; `nil` means all namespaces (list/watch only) for namespaced
    /// kinds, and is the only sensible value for cluster-scoped kinds.
    public func resources<Object: KubernetesResource>(_ type: Object.Type, namespace: String?)
        -> ResourceClient<Object>
    {
        ResourceClient(client: self, descriptor: Object.resourceDescriptor, namespace: namespace)
    }

    /// Operations on a typed kind in the configuration's default namespace.
    public func resourcesInDefaultNamespace<Object: KubernetesResource>(_ type: Object.Type)
        -> ResourceClient<Object>
    {
        resources(type, namespace: configuration.namespace)
    }

    /// Operations on a kind without a Swift type, described by `descriptor`.
    public func dynamicResources(_ descriptor: ResourceDescriptor, namespace: String?)
        -> ResourceClient<DynamicObject>
    {
        ResourceClient(client: self, descriptor: descriptor, namespace: namespace)
    }
}

// MARK: - Requests

/// One API call before it becomes an HTTP request.
struct APIRequest: Sendable {
    /// The HTTP method.
    var method: HTTPMethod
    /// The path below the server URL, segments already percent-encoded.
    var path: String
    /// Query items, unencoded, in order.
    var query: [(String, String)] = []
    /// The body, if any.
    var body: Data?
    /// The body's media type (`application/json` when `nil`).
    var contentType: String?

    /// Path plus encoded query, as logged and as reported in errors.
    var pathAndQuery: String {
        query.isEmpty ? path : path + "?" + PercentEncoding.query(query)
    }
}

extension KubernetesClient {
    /// Builds the HTTP request with headers, credentials and (for non-streaming calls) the timeout.
    func httpRequest(for request: APIRequest, streaming: Bool) -> HTTPRequest {
        var headers: HTTPHeaders = ["Accept": "application/json", "User-Agent": userAgent]
        var body = HTTPRequestBody.empty
        if let data = request.body {
            headers["Content-Type"] = request.contentType ?? "application/json"
            body = .bytes(data)
        }
        return HTTPRequest(
            method: request.method, url: configuration.server + request.pathAndQuery, headers: headers, body: body,
            auth: configuration.authentication, timeout: streaming ? nil : configuration.requestTimeout)
    }

    /// Sends a request and returns the response when its status is 2xx.
    ///
    /// - Throws: `KubernetesError.transport` when no response arrived, `.api` for any other status.
    func perform(_ request: APIRequest) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await httpClient.execute(httpRequest(for: request, streaming: false))
        } catch {
            logRequest(request, status: nil, started: started, error: error)
            throw KubernetesError.transport(error)
        }
        logRequest(request, status: response.status, started: started, error: nil)
        guard (200..<300).contains(response.status) else {
            throw KubernetesError.api(
                Self.apiError(
                    statusCode: response.status, headers: response.headers, body: response.body,
                    method: request.method.rawValue, path: request.pathAndQuery))
        }
        return response
    }

    /// Logs one request at debug level: method, path with query, status, duration; never credentials.
    func logRequest(_ request: APIRequest, status: Int?, started: ContinuousClock.Instant, error: (any Error)?) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000
            + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "k8s.path": "\(request.pathAndQuery)",
            "duration_ms": "\(Int(milliseconds.rounded()))",
        ]
        if let status { metadata["http.status"] = "\(status)" }
        if let error {
            metadata["error"] = "\(error)"
            logger.debug("Kubernetes API request failed", metadata: metadata)
        } else {
            logger.debug("Kubernetes API request", metadata: metadata)
        }
    }

    /// The error for a non-2xx answer: its `Status` when the body is one, else a synthesized `Status` keeping
    /// (a truncated copy of) the body text and the reason implied by the HTTP code.
    static func apiError(statusCode: Int, headers: HTTPHeaders, body: Data, method: String, path: String)
        -> KubernetesAPIError
    {
        let status: Status
        if let decoded = try? JSONDecoder().decode(Status.self, from: body), decoded.kind == "Status" {
            status = decoded
        } else {
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            status = Status(
                status: "Failure", message: Snippet.of(text.isEmpty ? "HTTP \(statusCode)" : text),
                reason: StatusReason.forHTTPStatus(statusCode)?.rawValue, code: statusCode)
        }
        var retryAfter: Duration?
        if let header = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces), let seconds = Int(header),
            seconds >= 0
        {
            retryAfter = .seconds(seconds)
        } else if let seconds = status.details?.retryAfterSeconds, seconds >= 0 {
            retryAfter = .seconds(seconds)
        }
        return KubernetesAPIError(
            status: status, statusCode: statusCode, retryAfter: retryAfter, method: method, path: path)
    }

    /// Decodes a success body.
    ///
    /// - Throws: `KubernetesError.decoding` naming `what`, with a snippet of the body.
    static func decode<T: Decodable>(_ type: T.Type, from body: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw KubernetesError.decoding(
                what: what, snippet: Snippet.of(String(decoding: body, as: UTF8.self)), underlying: error)
        }
    }
}
