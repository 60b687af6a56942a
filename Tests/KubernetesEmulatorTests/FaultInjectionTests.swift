import Foundation
import HTTPTransport
import JSONCore
import KubernetesEmulator
import Testing

@Suite("Fault injection")
struct FaultInjectionTests {
    @Test func throttlingFailsTheNextMatchingRequestsWithRetryAfter() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        emulator.inject(FaultRule(matching: RequestMatcher(method: "GET", path: .prefix(path)), status: 429, retryAfterSeconds: 2, count: 2))
        for _ in 0..<2 {
            let answer = try await client.request("GET", path)
            #expect(answer.status == 429)
            #expect(answer.headers["Retry-After"] == "2")
            #expect(answer.body?["reason"] == "TooManyRequests")
            #expect(answer.body?[path: ["details", "retryAfterSeconds"]] == 2)
        }
        #expect(try await client.request("GET", path).status == 200)
        await client.close()
        await emulator.stop()
    }

    @Test func regexRulesOnlyHitMatchingMethodsAndPaths() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        emulator.inject(FaultRule(matching: RequestMatcher(method: "POST", path: .regex("^/apis/flink\\.jobcontroller\\.io/.*/flinkjobs$")),
                                  status: 503, count: nil))
        #expect(try await client.request("POST", path, body: Fixtures.job("a")).status == 503)
        #expect(try await client.request("GET", path).status == 200)
        #expect(try await client.request("POST", path, body: Fixtures.job("b")).status == 503)
        emulator.clearFaults()
        #expect(try await client.request("POST", path, body: Fixtures.job("c")).status == 201)
        await client.close()
        await emulator.stop()
    }

    @Test func latencyDelaysMatchingRequests() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        emulator.addLatency(LatencyRule(matching: RequestMatcher(path: .prefix("/api/v1/namespaces")), delay: .milliseconds(300), count: 1))
        let started = ContinuousClock.now
        #expect(try await client.request("GET", "/api/v1/namespaces").status == 200)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        await client.close()
        await emulator.stop()
    }

    @Test func anUnreachableServerRefusesConnectionsAndComesBackOnTheSamePort() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let port = emulator.port
        let watch = try await client.watch(Fixtures.flinkJobs.path(namespace: "team-a"))
        await emulator.stopListening()
        try await watch.waitForEnd(timeout: .seconds(5))
        await #expect(throws: HTTPTransportError.self) { _ = try await client.request("GET", "/api/v1/namespaces") }
        try await emulator.resumeListening()
        #expect(emulator.port == port)
        #expect(try await client.request("GET", "/api/v1/namespaces").status == 200)
        await client.close()
        await emulator.stop()
    }

    @Test func theRequestLogRecordsWhatTheClientDid() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        emulator.clearRequestLog()
        _ = try await client.request("POST", path, body: Fixtures.job("logged"))
        _ = try await client.request("GET", path + "/logged")
        _ = try await client.request("GET", path, query: ["labelSelector": "a=b"])
        let log = emulator.requestLog
        #expect(log.map(\.verb) == ["create", "get", "list"])
        #expect(log.map(\.status) == [201, 200, 200])
        #expect(log.last?.query["labelSelector"] == "a=b")
        #expect(log.allSatisfy { $0.user == "admin" })
        await client.close()
        await emulator.stop()
    }
}
