@testable import FlinkJobOperator
import FlinkTestSupport
import Foundation
import HTTPTransport
import Logging
import Testing

@Suite struct ArtifactCacheEvictionTests {
    private func entry(_ name: String, _ bytes: Int64, _ age: TimeInterval) -> ArtifactCacheEviction.Entry {
        .init(path: "/cache/\(name)", bytes: bytes, lastUsed: Date(timeIntervalSince1970: 1_000_000 - age))
    }

    @Test func theLeastRecentlyUsedGoFirstUntilTheCacheFitsAndTheNewestFileStays() {
        let entries = [entry("a", 400, 30), entry("b", 400, 20), entry("c", 400, 10), entry("new", 400, 40)]
        #expect(ArtifactCacheEviction.victims(entries, limit: 900, keep: "/cache/new") == ["/cache/a", "/cache/b"])
        #expect(ArtifactCacheEviction.victims(entries, limit: 1600, keep: nil).isEmpty)
        #expect(ArtifactCacheEviction.victims(entries, limit: 0, keep: "/cache/new") == ["/cache/a", "/cache/b", "/cache/c"])
    }
}

/// The cache against real downloads: bounded by size, and free of bytes that failed verification.
@Suite(.serialized) struct ArtifactCacheTests {
    @Test func downloadsBeyondTheLimitEvictTheLeastRecentlyUsedAndMismatchedBytesDoNotStay() async throws {
        let megabyte = 1 << 20
        let files = Dictionary(uniqueKeysWithValues: (1...3).map { ("/a\($0).jar", Data(repeating: UInt8($0), count: megabyte)) })
        let server = try await ArtifactServer.start(host: "127.0.0.2", files: files)
        defer { server.stop() }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(10)))
        defer { Task { await http.shutdown() } }
        let fetcher = ArtifactFetcher(
            settings: ArtifactSettings(
                cacheDirectory: cache.path, maxDownloadBytes: Int64(megabyte),
                egress: EgressPolicy(allowedRanges: [IPRange("127.0.0.2/32")!]), maxCacheBytes: Int64(2 * megabyte)),
            http: http, logger: Logger(label: "test"))
        var paths: [String] = []
        for index in 1...3 {
            paths.append(try await fetcher.fetch("\(server.url)/a\(index).jar", expectedDigest: nil).path)
            try await Task.sleep(for: .milliseconds(20))  // distinct modification times
        }
        let kept = Set(ArtifactCacheEviction.entries(in: cache.path).map(\.path))
        #expect(kept == Set(paths[1...]), "two megabytes fit: the first download was evicted")

        let wrong = "sha256:" + String(repeating: "0", count: 64)
        try FileManager.default.removeItem(atPath: paths[2])
        await #expect(throws: ArtifactError.self) {
            _ = try await fetcher.fetch("\(server.url)/a3.jar", expectedDigest: wrong)
        }
        #expect(!FileManager.default.fileExists(atPath: paths[2]), "the mismatched download was removed at once")
    }
}
