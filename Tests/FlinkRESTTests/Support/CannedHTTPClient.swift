import Foundation
import HTTPTransport
import Synchronization

/// An `HTTPClient` that answers every request with canned responses, in order, and records the requests.
///
/// For the pure tests of request building, decoding and error classification; the integration tests use the
/// real libcurl client against a real Flink.
final class CannedHTTPClient: HTTPClient {
    /// What one request looked like.
    struct Recorded: Sendable {
        var method: String
        var url: String
        var headers: HTTPHeaders
        var body: Data?
        var multipart: [MultipartPart]?
        var authenticated: Bool
        var timeout: Duration?

        /// The JSON body as an object, if it is one.
        var json: [String: Any]? {
            body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
    }

    private struct State {
        var responses: [Result<HTTPResponse, HTTPTransportError>]
        var requests: [Recorded] = []
    }

    private let state: Mutex<State>

    /// Answers with `responses` in order (the last one repeats).
    init(_ responses: [Result<HTTPResponse, HTTPTransportError>]) {
        state = Mutex(State(responses: responses))
    }

    /// Answers every request with `status` and `body`.
    convenience init(status: Int, body: Data) {
        self.init([.success(HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body))])
    }

    /// Answers every request with `status` and a fixture's body.
    convenience init(status: Int, fixture: String) throws {
        self.init(status: status, body: try Fixture.data(fixture))
    }

    /// The requests sent so far.
    var requests: [Recorded] {
        state.withLock { $0.requests }
    }

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        var body: Data?
        var multipart: [MultipartPart]?
        switch request.body {
        case .bytes(let data):
            body = data
        case .multipart(let parts):
            multipart = parts
        default:
            break
        }
        let recorded = Recorded(
            method: request.method.rawValue,
            url: request.url,
            headers: request.headers,
            body: body,
            multipart: multipart,
            authenticated: request.auth != nil,
            timeout: request.timeout
        )
        let result = state.withLock { state in
            state.requests.append(recorded)
            return state.responses.count > 1 ? state.responses.removeFirst() : state.responses[0]
        }
        return try result.get()
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        throw HTTPTransportError.invalidRequest("CannedHTTPClient does not stream")
    }
}
