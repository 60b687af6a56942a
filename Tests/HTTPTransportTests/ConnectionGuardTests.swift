import Foundation
import HTTPTransport
import Synchronization
import Testing

extension LoopbackIntegration {
    @Suite("Connection guard")
    struct ConnectionGuardTests {
        @Test func aRefusedAddressIsNeverConnectedToAndTheRefusalIsTheError() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let seen = Mutex<[String]>([])
                    let guardrail = ConnectionGuard { address in
                        seen.withLock { $0.append(address.description) }
                        return "\(address) is loopback"
                    }
                    await #expect {
                        _ = try await client.execute(
                            HTTPRequest(url: "http://127.0.0.1:\(port)/connection", connectionGuard: guardrail))
                    } throws: { error in
                        error as? HTTPTransportError == .connectionRefusedByPolicy("127.0.0.1 is loopback")
                    }
                    #expect(seen.withLock { $0 } == ["127.0.0.1"])
                }
            }
        }

        @Test func anAllowedAddressConnectsAndEveryGuardedRequestOpensItsOwnConnection() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let checks = Atomic<Int>(0)
                    let guardrail = ConnectionGuard { _ in
                        checks.add(1, ordering: .relaxed)
                        return nil
                    }
                    var clientPorts = Set<String>()
                    for _ in 0..<3 {
                        let response = try await client.execute(
                            HTTPRequest(url: "http://127.0.0.1:\(port)/connection", connectionGuard: guardrail))
                        #expect(response.status == 200)
                        clientPorts.insert(response.text)
                    }
                    // No reuse: a connection another request opened was never checked for this one.
                    #expect(clientPorts.count == 3)
                    #expect(checks.load(ordering: .relaxed) == 3)
                }
            }
        }

        @Test func streamingRequestsAreGuardedToo() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let guardrail = ConnectionGuard { _ in "denied" }
                    await #expect(throws: HTTPTransportError.connectionRefusedByPolicy("denied")) {
                        _ = try await client.stream(
                            HTTPRequest(url: "http://127.0.0.1:\(port)/connection", connectionGuard: guardrail))
                    }
                }
            }
        }
    }
}

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("10.0.0.1", [10, 0, 0, 1]), ("169.254.169.254", [169, 254, 169, 254]),
        ("::1", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
        ("fd00:ec2::254", [0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54]),
    ] as [(String, [UInt8])])
    func textIsParsedToBytesAndBack(text: String, bytes: [UInt8]) {
        let address = IPAddress(text)
        #expect(address?.bytes == bytes)
        #expect(address?.description == text)
    }

    @Test(arguments: ["", "10.0.0", "10.0.0.256", "example.com", "1::2::3", "10.0.0.1/8"])
    func nonAddressesAreRefused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func anIPv4MappedAddressUnmapsToItsIPv4Address() {
        #expect(IPAddress("::ffff:127.0.0.1")?.unmapped == IPAddress("127.0.0.1"))
        #expect(IPAddress("::1")?.unmapped == IPAddress("::1"))
    }
}
