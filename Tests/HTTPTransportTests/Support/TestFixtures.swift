import Foundation
import HTTPTransport
import Logging
import Synchronization
import TLSFixtures
import Testing

/// Certificates for the test run: a CA, a server certificate for 127.0.0.1/localhost and a client certificate.
struct TestPKI: Sendable {
    let authority: CertificateAuthority
    let server: IssuedCertificate
    let client: IssuedCertificate

    /// The run's certificates, made once (the shared loopback servers use them).
    static let shared = Result { try TestPKI() }

    private init() throws {
        authority = try CertificateAuthority()
        server = try authority.issue()
        client = try authority.issue(commonName: "test-client", dnsNames: [], ipAddresses: [])
    }
}

/// A fresh temporary directory, removed after `body`.
@discardableResult
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("http-transport-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Runs `body` with a client and shuts the client down afterwards, even when `body` throws.
@discardableResult
func withClient<T>(
    _ configuration: CurlHTTPClient.Configuration = CurlHTTPClient.Configuration(),
    _ body: (CurlHTTPClient) async throws -> T
) async throws -> T {
    let client = try CurlHTTPClient(configuration: configuration)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Deterministic pseudo-random bytes, so uploads are not trivially compressible or repetitive.
func testBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Data {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    for index in bytes.indices {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
    }
    return Data(bytes)
}

extension HTTPTransport.HTTPResponse {
    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body's `key=value` lines as a dictionary.
    var fields: [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let pair = line.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
        }
        return result
    }
}

/// The resident set size of this process in bytes, from /proc/self/status (`nil` where unavailable).
func residentMemoryBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let digits = line.filter(\.isNumber)
        return Int(digits).map { $0 * 1024 }
    }
    return nil
}

/// A log handler that keeps every message and its metadata, to check what the client logs.
struct CapturingLogHandler: LogHandler {
    /// Everything logged, rendered as text.
    final class Storage: Sendable {
        private let entries = Mutex<[(level: Logger.Level, text: String)]>([])

        func append(_ level: Logger.Level, _ text: String) {
            entries.withLock { $0.append((level, text)) }
        }

        var all: [(level: Logger.Level, text: String)] { entries.withLock { $0 } }
    }

    let storage: Storage
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        storage.append(event.level, "\(event.message) \(rendered)")
    }
}

/// A port on 127.0.0.1 for connection tests without a server.
///
/// By default the socket is bound (so nobody else takes the port) but not listening, so a connection attempt
/// is refused at once. With `listening`, the kernel completes TCP handshakes into the backlog but nobody ever
/// accepts: a peer that connects and then hears nothing.
final class ClosedPort {
    let port: Int
    private let descriptor: Int32

    init(listening: Bool = false) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClosedPortError.socketFailed }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw ClosedPortError.socketFailed
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            close(descriptor)
            throw ClosedPortError.socketFailed
        }
        if listening, listen(descriptor, 16) != 0 {
            close(descriptor)
            throw ClosedPortError.socketFailed
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

enum ClosedPortError: Error { case socketFailed }

/// Every test that talks to the loopback servers, run one at a time.
///
/// The machine has two cores and the tests run unoptimised: run in parallel, a 100 MB stream, megabyte
/// uploads and hundreds of concurrent requests delay everything else by seconds, which would make the
/// "ends within a second" and timeout checks measure the scheduler instead of the transport.
@Suite(.serialized) struct LoopbackIntegration {}

/// Waits until the client has no transfer left in libcurl (aborts are processed on the multi thread).
func waitUntilIdle(_ client: CurlHTTPClient, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + .seconds(5)
    while client.runningTransferCount > 0, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(10))
    }
    #expect(client.runningTransferCount == 0, "transfers still running", sourceLocation: sourceLocation)
}

