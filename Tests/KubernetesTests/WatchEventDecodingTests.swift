import Foundation
import JSONCore
import Testing

@testable import Kubernetes

@Suite struct WatchEventDecodingTests {
    private func decode(_ event: JSONValue) throws -> WatchEvent<TestJob> {
        try JSONDecoder().decode(WatchEvent<TestJob>.self, from: try event.encodedData())
    }

    @Test func recordedStreamDecodesInOrder() throws {
        let watch = try #require(try Transcript("watch-from-rv").steps.first { !$0.stream.isEmpty })
        let events = try watch.stream.map(decode)
        let summary = events.map { event -> String in
            switch event {
            case .added(let job): "ADDED \(job.metadata.name ?? "")"
            case .modified(let job): "MODIFIED \(job.metadata.name ?? "")"
            case .deleted(let job): "DELETED \(job.metadata.name ?? "")"
            case .bookmark: "BOOKMARK"
            case .error: "ERROR"
            }
        }
        #expect(summary.first == "ADDED job-a")
        #expect(summary.contains("MODIFIED job-a"))
        #expect(summary.last?.hasPrefix("DELETED") == true)
        #expect(events.first?.resourceVersion == "<rv:2>")
    }

    @Test func bookmarkCarriesOnlyAResourceVersionAndAnnotations() throws {
        let watch = try #require(try Transcript("watch-bookmarks").steps.first { !$0.stream.isEmpty })
        let bookmarkJSON = try #require(watch.stream.first { $0["type"] == "BOOKMARK" })
        guard case .bookmark(let bookmark) = try decode(bookmarkJSON) else {
            Issue.record("not a bookmark")
            return
        }
        #expect(bookmark.resourceVersion == "<rv:1>")
        #expect(bookmark.isInitialEventsEnd)
        // A plain bookmark: kind, apiVersion and metadata.resourceVersion only.
        let plain = try decode([
            "type": "BOOKMARK",
            "object": ["kind": "FlinkJob", "apiVersion": "flink.jobcontroller.io/v1alpha1", "metadata": ["resourceVersion": "12"]],
        ])
        #expect(plain.resourceVersion == "12")
        if case .bookmark(let b) = plain { #expect(!b.isInitialEventsEnd) } else { Issue.record("not a bookmark") }
    }

    @Test func errorEventCarriesAStatus() throws {
        let watch = try #require(try Transcript("watch-too-old").steps.first { !$0.stream.isEmpty })
        guard case .error(let status) = try decode(try #require(watch.stream.first)) else {
            Issue.record("not an error event")
            return
        }
        #expect(status.code == 410)
        #expect(status.knownReason == .expired)
    }

    @Test func unknownTypeOrBadObjectIsADecodingError() {
        #expect(throws: DecodingError.self) { try decode(["type": "RENAMED", "object": [:]]) }
        #expect(throws: DecodingError.self) {
            try decode(["type": "ADDED", "object": ["metadata": ["name": 5], "spec": [:]]])
        }
        #expect(throws: DecodingError.self) { try decode(["type": "BOOKMARK", "object": ["metadata": [:]]]) }
    }
}
