import Foundation

/// One request answered in-process by the emulator's full request path — fault rules, latency rules,
/// authentication, the request log and the API core — without a socket or TLS. For simulations that run thousands
/// of histories, where the loopback HTTPS round trip would dominate; watches are not served this way.
public struct InProcessAnswer: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Response headers (`Content-Type`, `Warning`, `Retry-After`, ...).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Data
}

extension KubernetesEmulator {
    /// Answers a request as the HTTPS server would (`path` without the query; `rawQuery` as sent).
    public func exchange(
        method: String, path: String, rawQuery: String, headers: [(name: String, value: String)], body: Data
    ) async -> InProcessAnswer {
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        let incoming = RequestPipeline.Incoming(
            method: method, path: path, rawQuery: rawQuery, authorization: header("Authorization"),
            contentType: header("Content-Type"), userAgent: header("User-Agent"), accept: header("Accept"), body: body)
        switch await pipeline.process(incoming) {
        case .response(let response):
            var fields: [(name: String, value: String)] = [("Content-Type", response.contentType)]
            fields += response.warnings.map { ("Warning", "299 - \"\($0)\"") }
            fields += response.headers.map { (name: $0.0, value: $0.1) }
            return InProcessAnswer(status: response.status, headers: fields, body: response.body)
        case .watch:
            return InProcessAnswer(
                status: 400, headers: [("Content-Type", "application/json")],
                body: Data(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"watches are not served in-process","code":400}"#.utf8))
        }
    }
}
