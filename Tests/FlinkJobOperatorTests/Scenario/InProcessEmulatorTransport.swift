import Foundation
import HTTPTransport
import KubernetesEmulator

/// The Kubernetes client's transport for simulations: every request goes through the emulator's full request
/// path (faults, authentication, the API core) in-process, without sockets or TLS — thousands of histories would
/// otherwise spend most of their time in loopback HTTPS. Requests are sent as the admin; watches are not served
/// (the scenario world refreshes its caches by listing).
struct InProcessEmulatorTransport: HTTPClient {
    let emulator: KubernetesEmulator

    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URLComponents(string: request.url) else { throw HTTPTransportError.invalidRequest(request.url) }
        var headers = request.headers.fields
        if !headers.contains(where: { $0.name.caseInsensitiveCompare("Authorization") == .orderedSame }) {
            headers.append(("Authorization", "Bearer \(emulator.adminToken)"))
        }
        let body: Data
        switch request.body {
        case .empty: body = Data()
        case .bytes(let data): body = data
        default: throw HTTPTransportError.invalidRequest("the in-process transport sends only in-memory bodies")
        }
        let answer = await emulator.exchange(
            method: request.method.rawValue, path: url.percentEncodedPath, rawQuery: url.percentEncodedQuery ?? "",
            headers: headers, body: body)
        return HTTPResponse(status: answer.status, headers: HTTPHeaders(answer.headers), body: answer.body)
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        throw HTTPTransportError.invalidRequest("watches are not served in-process")
    }
}
