import Foundation
import HTTPTransport

/// Why a Flink REST call failed.
///
/// Flink's error answers (`{"errors": [stack traces]}`) are classified by status and content, and their text is
/// trimmed to the exception classes and messages (`FlinkErrorText`, at most about 1 KB). Messages start with the
/// request (`GET /jobs/…/status: …`). Flink's quirks are hidden: an unknown job on `/jobs/:id/status` answers 500
/// but comes out as `notFound`; a missing jar is `notFound` on run and delete although Flink says 500/400.
public enum FlinkRESTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request could not be built or sent as given; nothing reached Flink (a malformed base URL, an
    /// unreadable jar file, a failing credentials provider).
    case invalidRequest(String)
    /// Flink could not be reached: connection refused or reset, name resolution, TLS handshake or certificate
    /// verification failed, or a proxy in front of Flink answered 502/503/504 without a Flink error body.
    case unreachable(String)
    /// The request's time limit elapsed before Flink answered.
    case timeout(String)
    /// The calling task was cancelled.
    case cancelled
    /// Flink (or a proxy in front of it) refused the credentials: 401 or 403.
    case unauthorized(status: Int, message: String)
    /// The job, jar, trigger or savepoint operation does not exist (Flink answered 404, or its 500/400
    /// equivalents for an unknown job on `/status` or a missing jar).
    case notFound(String)
    /// A job with the requested job id was already submitted (Flink's `DuplicateApplicationSubmissionException`,
    /// also for finished and failed jobs): the submission is not repeated.
    case duplicateJob(String)
    /// Flink refused the request as invalid (400): a malformed body, a bad savepoint path, a `main()` that failed
    /// before submitting a job.
    case badRequest(String)
    /// Flink failed with a 5xx and an error body (an unknown entry class, an unsupported operation).
    case serverError(status: Int, message: String)
    /// Flink (or a proxy in front of it) asked the client to come back later: a 429 or 503 with `Retry-After`.
    case throttled(status: Int, message: String, retryAfter: Duration)
    /// The answer was not what this client understands: not JSON, not Flink's error shape, not decodable into
    /// the expected model, or an unexpected status. `snippet` holds the reason and the start of the body.
    case unexpectedResponse(status: Int, snippet: String)

    /// The message without the case name.
    public var message: String {
        switch self {
        case .invalidRequest(let message), .unreachable(let message), .timeout(let message),
            .notFound(let message), .duplicateJob(let message), .badRequest(let message):
            message
        case .cancelled: "cancelled"
        case .unauthorized(_, let message), .serverError(_, let message), .throttled(_, let message, _): message
        case .unexpectedResponse(_, let snippet): snippet
        }
    }

    /// Whether trying again later may succeed without anything changing on the caller's side: an unreachable
    /// or slow Flink, or a 5xx. Never true for `notFound`, `duplicateJob`, `badRequest`.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .timeout, .serverError, .throttled: true
        case .invalidRequest, .cancelled, .unauthorized, .notFound, .duplicateJob, .badRequest,
            .unexpectedResponse:
            false
        }
    }

    public var description: String {
        switch self {
        case .invalidRequest(let message): "invalid Flink REST request: \(message)"
        case .unreachable(let message): "Flink REST API unreachable: \(message)"
        case .timeout(let message): "Flink REST request timed out: \(message)"
        case .cancelled: "Flink REST request cancelled"
        case .unauthorized(let status, let message): "Flink REST API refused the credentials (\(status)): \(message)"
        case .notFound(let message): "not found in Flink: \(message)"
        case .duplicateJob(let message): "job already submitted to Flink: \(message)"
        case .badRequest(let message): "Flink refused the request: \(message)"
        case .serverError(let status, let message): "Flink server error \(status): \(message)"
        case .throttled(let status, let message, let retryAfter):
            "Flink REST API asked to retry after \(retryAfter) (\(status)): \(message)"
        case .unexpectedResponse(let status, let snippet): "unexpected Flink REST response (\(status)): \(snippet)"
        }
    }
}

extension FlinkRESTError {
    /// The most bytes of a body quoted in `unexpectedResponse`.
    static let snippetLimit = 512

    /// Classifies a non-2xx answer the way `FlinkRESTClient` does.
    ///
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - body: the response body (Flink's `{"errors": […]}` or anything else).
    ///   - request: what was asked, e.g. `GET /jobs/…/status`; prefixed to the message.
    /// Guarantees: never traps, whatever the body; `notFound` only when Flink itself said so (a proxy's HTML 404
    /// or Flink's own "Unable to load requested file" for an unknown path is `unexpectedResponse`, so a wrong
    /// base URL is never mistaken for a vanished job).
    public init(status: Int, body: Data, request: String, retryAfter: Duration? = nil) {
        let prefix = request.isEmpty ? "" : request + ": "
        if let retryAfter, status == 429 || status == 503 {
            let text = Self.flinkErrors(in: body).map { FlinkErrorText.summary(of: $0) } ?? Self.snippet(of: body)
            self = .throttled(status: status, message: prefix + text, retryAfter: retryAfter)
            return
        }
        guard let errors = Self.flinkErrors(in: body) else {
            let snippet = Self.snippet(of: body)
            switch status {
            case 401, 403: self = .unauthorized(status: status, message: prefix + snippet)
            case 502, 503, 504: self = .unreachable(prefix + "HTTP \(status) without a Flink error body: " + snippet)
            default: self = .unexpectedResponse(status: status, snippet: prefix + snippet)
            }
            return
        }
        let raw = errors.joined(separator: "\n")
        let message = prefix + FlinkErrorText.summary(of: errors)
        if raw.contains("DuplicateApplicationSubmissionException") || raw.contains("DuplicateJobSubmissionException") {
            self = .duplicateJob(message)
            return
        }
        switch status {
        case 401, 403:
            self = .unauthorized(status: status, message: message)
        case 404 where raw.hasPrefix("Unable to load requested file"):
            self = .unexpectedResponse(status: status, snippet: message)
        case 404:
            self = .notFound(message)
        case 500 where raw.contains("FlinkJobNotFoundException"):
            // `GET /jobs/:id/status` of an unknown job answers 500 (the Dispatcher's exception is not mapped).
            self = .notFound(message)
        case 400:
            self = .badRequest(message)
        case 500...599:
            self = .serverError(status: status, message: message)
        default:
            self = .unexpectedResponse(status: status, snippet: message)
        }
    }

    /// The delay the server asked for, when it asked (`throttled`).
    public var retryAfter: Duration? {
        if case .throttled(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// `Retry-After` as seconds (RFC 9110: delay-seconds or an HTTP date), relative to `now`; `nil` when absent
    /// or malformed.
    public static func retryAfter(header: String?, now: Date = Date()) -> Duration? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Int(header), seconds >= 0 { return .seconds(min(seconds, 3600)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .seconds(min(3600, max(0, Int(date.timeIntervalSince(now).rounded(.up)))))
    }

    /// The error the client reports for a transport failure.
    init(transport error: HTTPTransportError, request: String) {
        let message = request + ": " + error.description
        switch error {
        case .invalidRequest, .invalidConfiguration, .credentialsUnavailable, .bodySourceFailed:
            self = .invalidRequest(message)
        case .connectFailed, .connectionRefusedByPolicy, .tlsFailed, .curl, .multi, .shutDown:
            self = .unreachable(message)
        case .timedOut:
            self = .timeout(message)
        case .cancelled:
            self = .cancelled
        case .bodyTooLarge, .lineTooLong:
            self = .unexpectedResponse(status: 0, snippet: message)
        }
    }

    /// The strings of Flink's `{"errors": [...]}`, or `nil` when the body has another shape.
    static func flinkErrors(in body: Data) -> [String]? {
        struct ErrorBody: Decodable { var errors: [String] }
        guard let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) else { return nil }
        return decoded.errors
    }

    /// The start of a body as text for messages (invalid UTF-8 replaced, whitespace runs collapsed).
    static func snippet(of body: Data) -> String {
        if body.isEmpty { return "(empty body)" }
        let text = String(decoding: body.prefix(snippetLimit * 2), as: UTF8.self)
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return FlinkErrorText.truncated(collapsed, to: snippetLimit)
    }
}
