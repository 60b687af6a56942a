import Foundation
import HTTPTransport
import Testing

extension LoopbackIntegration {
    @Suite("Cancellation and timeouts")
    struct CancellationAndTimeoutTests {
        @Test func cancellingTheTaskReadingAStalledStreamEndsItPromptly() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let (started, startedContinuation) = AsyncStream<Void>.makeStream()
                    let reader = Task { () -> (any Error)? in
                        do {
                            let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/stall"))
                            for try await _ in response.body { startedContinuation.yield() }
                            return nil
                        } catch {
                            return error
                        }
                    }
                    // The first bytes arrived; the server now sends nothing.
                    _ = await started.first { _ in true }
                    try await Task.sleep(for: .milliseconds(100))
                    let cancelledAt = ContinuousClock.now
                    reader.cancel()
                    let error = await reader.value
                    let elapsed = ContinuousClock.now - cancelledAt
                    #expect(elapsed < .seconds(1))
                    #expect((error as? HTTPTransportError) == .cancelled)
                    try await waitUntilIdle(client)
                }
            }
        }

        @Test func cancellingTheTaskAwaitingAResponseHeadEndsItPromptly() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    for useStream in [false, true] {
                        let request = Task { () -> (any Error)? in
                            do {
                                if useStream {
                                    _ = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/slow-head"))
                                } else {
                                    _ = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/slow-head"))
                                }
                                return nil
                            } catch {
                                return error
                            }
                        }
                        try await Task.sleep(for: .milliseconds(200))
                        let cancelledAt = ContinuousClock.now
                        request.cancel()
                        let error = await request.value
                        #expect(ContinuousClock.now - cancelledAt < .seconds(1))
                        #expect((error as? HTTPTransportError) == .cancelled)
                        try await waitUntilIdle(client)
                    }
                }
            }
        }

        @Test func connectingToAClosedPortFailsFastWithConnectFailed() async throws {
            let closed = try ClosedPort()
            try await withClient { client in
                let started = ContinuousClock.now
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(closed.port)/hello"))
                }
                #expect(ContinuousClock.now - started < .seconds(2))
                if case .connectFailed(let message) = error {
                    #expect(message.contains("curl error 7"))
                } else {
                    Issue.record("expected connectFailed, got \(String(describing: error))")
                }
            }
        }

        @Test func aServerThatNeverAnswersHitsTheRequestTimeout() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(requestTimeout: .seconds(1))) { client in
                    let started = ContinuousClock.now
                    let error = await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/slow-head"))
                    }
                    if case .timedOut = error {} else { Issue.record("expected timedOut, got \(String(describing: error))") }
                    #expect(ContinuousClock.now - started < .seconds(5))
                }
            }
        }

        @Test func aRequestTimeoutOverridesTheClientDefault() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(requestTimeout: nil)) { client in
                    let error = await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/slow-head", timeout: .milliseconds(500)))
                    }
                    if case .timedOut = error {} else { Issue.record("expected timedOut, got \(String(describing: error))") }
                }
            }
        }

        @Test func aStreamThatFallsSilentHitsTheIdleTimeout() async throws {
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(idleTimeout: .seconds(1))) { client in
                    let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/stall"))
                    let started = ContinuousClock.now
                    var received = Data()
                    let error = await #expect(throws: HTTPTransportError.self) {
                        for try await chunk in response.body { received.append(chunk) }
                    }
                    #expect(received == Data("first bytes\n".utf8))
                    if case .timedOut = error {} else { Issue.record("expected timedOut, got \(String(describing: error))") }
                    #expect(ContinuousClock.now - started < .seconds(5))
                }
            }
        }

        @Test func shutdownFailsRunningTransfersAndRefusesNewOnes() async throws {
            try await LoopbackServer.with { port in
                let client = try CurlHTTPClient()
                let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/stall"))
                await client.shutdown()
                await #expect(throws: HTTPTransportError.shutDown) {
                    for try await _ in response.body {}
                }
                await #expect(throws: HTTPTransportError.shutDown) {
                    try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/hello"))
                }
                await client.shutdown()
            }
        }
    }
}
