import Foundation
import HTTPTransport
import Logging
import Testing

extension LoopbackIntegration {
    @Suite("Bad input and limits")
    struct BadInputTests {
        @Test(arguments: ["not a url", "ftp://127.0.0.1/file", "file:///etc/passwd", "http://", "/relative/path", "http://host/a b"])
        func anInvalidURLIsAnInvalidRequest(url: String) async throws {
            try await withClient { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(HTTPRequest(url: url))
                }
                if case .invalidRequest = error {} else { Issue.record("expected invalidRequest, got \(String(describing: error))") }
            }
        }

        @Test func aHeaderValueWithALineBreakIsRejectedWithoutEchoingIt() async throws {
            try await withClient { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(
                        HTTPRequest(url: "http://127.0.0.1:1/", headers: ["X-Token": "secret\r\nInjected: yes"])
                    )
                }
                if case .invalidRequest(let message) = error {
                    #expect(!message.contains("secret"))
                } else {
                    Issue.record("expected invalidRequest, got \(String(describing: error))")
                }
            }
        }

        @Test func aHeaderNameWithASpaceIsRejected() async throws {
            try await withClient { client in
                await #expect(throws: HTTPTransportError.invalidRequest("invalid header name \"Bad Name\"")) {
                    try await client.execute(HTTPRequest(url: "http://127.0.0.1:1/", headers: ["Bad Name": "x"]))
                }
            }
        }

        @Test func aMissingBodyFileIsABodySourceFailure() async throws {
            try await withClient { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(HTTPRequest(method: .put, url: "http://127.0.0.1:1/", body: .file(path: "/nonexistent/body.json")))
                }
                if case .bodySourceFailed(let message) = error {
                    #expect(message.contains("/nonexistent/body.json"))
                } else {
                    Issue.record("expected bodySourceFailed, got \(String(describing: error))")
                }
            }
        }

        @Test func aMissingMultipartFileIsABodySourceFailure() async throws {
            try await withClient { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(
                        HTTPRequest(
                            method: .post,
                            url: "http://127.0.0.1:1/",
                            body: .multipart([MultipartPart(name: "jarfile", content: .file(path: "/nonexistent/job.jar"))])
                        )
                    )
                }
                if case .bodySourceFailed = error {} else { Issue.record("expected bodySourceFailed, got \(String(describing: error))") }
            }
        }

        @Test func aBodyStreamThatThrowsIsABodySourceFailure() async throws {
            struct SourceBroke: Error {}
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let source = AsyncThrowingStream<Data, any Error> { continuation in
                        let task = Task {
                            continuation.yield(Data(repeating: 1, count: 1000))
                            // Fail mid-upload, after the server has taken the connection.
                            try? await Task.sleep(for: .milliseconds(200))
                            continuation.finish(throwing: SourceBroke())
                        }
                        continuation.onTermination = { _ in task.cancel() }
                    }
                    let error = await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/digest", body: .stream(source, length: nil)))
                    }
                    if case .bodySourceFailed(let message) = error {
                        #expect(message.contains("SourceBroke"))
                    } else {
                        Issue.record("expected bodySourceFailed, got \(String(describing: error))")
                    }
                    try await waitUntilIdle(client)
                }
            }
        }

        @Test func aHeadRequestWithABodyIsAnInvalidRequest() async throws {
            try await withClient { client in
                await #expect(throws: HTTPTransportError.invalidRequest("a HEAD request cannot carry a body")) {
                    try await client.execute(HTTPRequest(method: .head, url: "http://127.0.0.1:1/", body: .bytes(Data([1]))))
                }
            }
        }

        @Test func aChunkedBodyLargerThanTheLimitFailsWithBodyTooLarge() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(maxResponseBodyBytes: 1 << 20)) { client in
                    await #expect(throws: HTTPTransportError.bodyTooLarge(limit: 1 << 20)) {
                        try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/bytes?count=\(3 << 20)"))
                    }
                    // A body of exactly the limit is fine.
                    let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/bytes?count=\(1 << 20)"))
                    #expect(response.body.count == 1 << 20)
                }
            }
        }

        @Test func aDeclaredContentLengthAboveTheLimitFailsBeforeTheBody() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(maxResponseBodyBytes: 1000)) { client in
                    await #expect(throws: HTTPTransportError.bodyTooLarge(limit: 1000)) {
                        try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/sized?count=5000"))
                    }
                }
            }
        }

        @Test func anErrorStatusIsAResponseNotAnError() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/status/418"))
                    #expect(response.status == 418)
                    #expect(response.text == "status 418")
                }
            }
        }

        @Test func nonPositiveLimitsAreConfigurationErrors() {
            #expect(throws: HTTPTransportError.self) {
                try CurlHTTPClient(configuration: CurlHTTPClient.Configuration(connectTimeout: .zero))
            }
            #expect(throws: HTTPTransportError.self) {
                try CurlHTTPClient(configuration: CurlHTTPClient.Configuration(maxResponseBodyBytes: 0))
            }
            #expect(throws: HTTPTransportError.self) {
                try CurlHTTPClient(configuration: CurlHTTPClient.Configuration(maxConnectionsPerHost: 0))
            }
        }

        @Test func errorDescriptionsNameTheStep() {
            #expect(HTTPTransportError.connectFailed("refused").description == "connect failed: refused")
            #expect(HTTPTransportError.bodyTooLarge(limit: 5).description == "response body larger than the limit of 5 bytes")
            #expect(HTTPTransportError.curl(code: 56, message: "recv").description == "libcurl error 56: recv")
            #expect(HTTPTransportError.tlsFailed("TLS: x").description == "TLS: x")
        }
    }

    @Suite("Logging")
    struct LoggingTests {
        @Test func eachRequestIsLoggedAtDebugWithoutQueryCredentialsOrHeaders() async throws {
            let storage = CapturingLogHandler.Storage()
            let logger = Logger(label: "test") { _ in CapturingLogHandler(storage: storage) }
            try await LoopbackServer.with { port in
                let configuration = CurlHTTPClient.Configuration(defaultAuth: .bearer(StaticBearerToken("top-secret-token")), logger: logger)
                try await withClient(configuration) { client in
                    _ = try await client.execute(
                        HTTPRequest(
                            url: "http://user:hunter2@127.0.0.1:\(port)/echo-headers?token=query-secret",
                            headers: ["X-Custom": "header-secret"]
                        )
                    )
                }
            }
            let entries = storage.all
            let finished = entries.filter { $0.level == .debug && $0.text.hasPrefix("HTTP request finished") }
            #expect(finished.count == 1)
            let line = finished.first?.text ?? ""
            #expect(line.contains("http.method=GET"))
            #expect(line.contains("http.status=200"))
            #expect(line.contains("http.url=http://127.0.0.1:"))
            #expect(line.contains("http.duration_ms="))
            for secret in ["top-secret-token", "query-secret", "hunter2", "header-secret"] {
                #expect(!entries.contains { $0.text.contains(secret) }, "\(secret) leaked into the log")
            }
        }
    }
}
