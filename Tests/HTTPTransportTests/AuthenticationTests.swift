import Foundation
import HTTPTransport
import Synchronization
import Testing

/// A provider that hands out a new token on every call, like a rotating projected service-account token.
final class RotatingTokenProvider: BearerTokenProvider {
    private let calls = Mutex(0)

    var callCount: Int { calls.withLock { $0 } }

    func bearerToken() async throws -> String {
        let call = calls.withLock { count in
            count += 1
            return count
        }
        return "token-\(call)"
    }
}

struct FailingTokenProvider: BearerTokenProvider {
    struct TokenFileMissing: Error {}

    func bearerToken() async throws -> String {
        throw TokenFileMissing()
    }
}

extension LoopbackIntegration {
    @Suite("Authentication")
    struct AuthenticationTests {
        @Test func theBearerProviderIsAskedOnEveryRequestSoRotatedTokensAreSent() async throws {
            let provider = RotatingTokenProvider()
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(defaultAuth: .bearer(provider))) { client in
                    var seen: [String?] = []
                    for _ in 0..<3 {
                        let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/echo-headers"))
                        seen.append(response.fields["authorization"])
                    }
                    #expect(seen == ["Bearer token-1", "Bearer token-2", "Bearer token-3"])
                    #expect(provider.callCount == 3)
                }
            }
        }

        @Test func basicAuthenticationSendsTheEncodedCredentials() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(
                        HTTPRequest(url: "http://127.0.0.1:\(port)/echo-headers", auth: .basic(username: "flink", password: "s3cr:t"))
                    )
                    let expected = "Basic " + Data("flink:s3cr:t".utf8).base64EncodedString()
                    #expect(response.fields["authorization"] == expected)
                }
            }
        }

        @Test func headerAuthenticationSendsTheCustomHeader() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(defaultAuth: .header(name: "X-API-Key", value: "key-123"))) { client in
                    let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/echo-headers"))
                    #expect(response.fields["x-api-key"] == "key-123")
                    #expect(response.fields["authorization"] == "<none>")
                }
            }
        }

        @Test func aRequestsOwnAuthenticationReplacesTheDefaultAndAnyAuthorizationHeader() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(defaultAuth: .bearer(StaticBearerToken("default")))) { client in
                    let response = try await client.execute(
                        HTTPRequest(
                            url: "http://127.0.0.1:\(port)/echo-headers",
                            headers: ["Authorization": "Bearer smuggled"],
                            auth: .bearer(StaticBearerToken("per-request"))
                        )
                    )
                    #expect(response.fields["authorization"] == "Bearer per-request")
                }
            }
        }

        @Test func customHeadersAndTheUserAgentAreSentIncludingEmptyValues() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(userAgent: "transport-tests/1")) { client in
                    let response = try await client.execute(
                        HTTPRequest(url: "http://127.0.0.1:\(port)/echo-headers", headers: ["X-Custom": "a b", "X-Empty": ""])
                    )
                    #expect(response.fields["x-custom"] == "a b")
                    #expect(response.text.contains("x-empty=\n") || response.text.hasSuffix("x-empty="))
                    #expect(response.fields["user-agent"] == "transport-tests/1")
                }
            }
        }

        @Test func aFailingTokenProviderIsReportedAsUnavailableCredentials() async throws {
            try await withClient(CurlHTTPClient.Configuration(defaultAuth: .bearer(FailingTokenProvider()))) { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(HTTPRequest(url: "http://127.0.0.1:1/echo-headers"))
                }
                if case .credentialsUnavailable(let message) = error {
                    #expect(message.contains("TokenFileMissing"))
                } else {
                    Issue.record("expected credentialsUnavailable, got \(String(describing: error))")
                }
            }
        }

        @Test func negotiateAgainstAServerThatDoesNotAskForItStillGetsTheResponse() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(defaultAuth: .negotiate)) { client in
                    let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/hello"))
                    #expect(response.text == "hello")
                    let streamed = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/hello"))
                    #expect(try await streamed.body.collect(upTo: 100) == Data("hello".utf8))
                }
            }
        }
    }
}
