import Foundation
import HTTPTransport
import Testing

extension LoopbackIntegration {
    @Suite("Connection reuse")
    struct ConnectionReuseTests {
        @Test func sequentialRequestsReuseOneConnection() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    var ports = Set<String>()
                    for _ in 0..<50 {
                        let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/connection"))
                        ports.insert(response.text)
                    }
                    #expect(ports.count == 1)
                }
            }
        }

        @Test func sequentialHTTPSRequestsReuseOneConnection() async throws {
            let pki = try TestPKI.shared.get()
            try await LoopbackServer.with(.tls) { port in
                let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(trustRoots: .pem(pki.authority.certificatePEM)))
                try await withClient(configuration) { client in
                    var ports = Set<String>()
                    for _ in 0..<20 {
                        let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/connection"))
                        ports.insert(response.text)
                    }
                    #expect(ports.count == 1)
                }
            }
        }

        @Test func concurrentRequestsAllCompleteAndConnectionsAreReusedAfterwards() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let firstRound = try await withThrowingTaskGroup(of: String.self) { group in
                        for _ in 0..<8 {
                            group.addTask { try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/connection")).text }
                        }
                        return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                    }
                    var secondRound = Set<String>()
                    for _ in 0..<8 {
                        secondRound.insert(try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/connection")).text)
                    }
                    #expect(!firstRound.isEmpty)
                    // No new connection: every later request rode one the concurrent round opened.
                    #expect(secondRound.isSubset(of: firstRound), "\(secondRound) not within \(firstRound)")
                }
            }
        }

        @Test func manyConcurrentRequestsSucceed() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                        for index in 0..<200 {
                            group.addTask {
                                let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/status/\(200 + index % 3)"))
                                return response.status
                            }
                        }
                        return try await group.reduce(into: [Int]()) { $0.append($1) }
                    }
                    #expect(statuses.count == 200)
                    #expect(Set(statuses) == [200, 201, 202])
                }
            }
        }

        @Test func aSafeRequestWhoseConnectionIsResetIsSentOnceMoreButAPostIsNot() async throws {
            let server = try ResettingServer()
            defer { server.stop() }
            try await withClient { client in
                let response = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(server.port)/"))
                #expect(response.text == "second")
                #expect(server.connectionCount == 2)
            }
            let post = try ResettingServer()
            defer { post.stop() }
            try await withClient { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(post.port)/", body: .bytes(Data("x".utf8))))
                }
                if case .curl(let code, _) = error {
                    #expect([55, 56].contains(code), "send or receive failure expected, got \(code)")
                } else {
                    Issue.record("expected a libcurl send/receive error, got \(String(describing: error))")
                }
                #expect(post.connectionCount == 1)
            }
        }
    }
}
