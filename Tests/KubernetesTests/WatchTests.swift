import Foundation
import JSONCore
import Kubernetes
import KubernetesEmulator
import Testing

/// Watches against the emulator: ordering, resuming, compaction (410), bookmarks.
@Suite struct WatchTests {
    @Test func watchSeesChangesInOrderAndResumesFromAResourceVersion() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs("team-a")
            _ = try await jobs.create(.fixture("pre-existing"))
            let listed = try await jobs.list()
            let start = try #require(listed.metadata.resourceVersion)

            let stream = try await jobs.watch(WatchOptions(resourceVersion: start, allowWatchBookmarks: false))
            _ = try await jobs.create(.fixture("job-a"))
            _ = try await jobs.patch("job-a", .merge(["spec": ["parallelism": 5]]))
            _ = try await jobs.patchStatus("job-a", .merge(["status": ["phase": "Running"]]))
            #expect(try await jobs.delete("job-a").isDeleted)
            let events = try await stream.first(4)
            #expect(events.map(\.summary) == ["ADDED job-a", "MODIFIED job-a", "MODIFIED job-a", "DELETED job-a"])
            guard case .modified(let statusChange) = events[2], case .deleted(let last) = events[3] else {
                Issue.record("unexpected events")
                return
            }
            #expect(statusChange.status?.phase == "Running")
            #expect(last.status?.phase == "Running", "DELETED carries the last state")

            // Resume after the second event: only what followed is delivered.
            let resumeFrom = try #require(events[1].resourceVersion)
            let resumed = try await jobs.watch(WatchOptions(resourceVersion: resumeFrom, allowWatchBookmarks: false))
            #expect(try await resumed.first(2).map(\.summary) == ["MODIFIED job-a", "DELETED job-a"])
        }
    }

    @Test func watchWithoutResourceVersionStartsWithSyntheticAdds() async throws {
        try await EmulatorFixture.with { fixture in
            _ = try await fixture.jobs("team-a").create(.fixture("a"))
            _ = try await fixture.jobs("team-b").create(.fixture("b"))
            let stream = try await fixture.jobs(nil).watch(WatchOptions(allowWatchBookmarks: false))
            let events = try await stream.first(2)
            #expect(Set(events.map(\.summary)) == ["ADDED a", "ADDED b"])
            #expect(fixture.emulator.requestLog.last?.path == "/apis/flink.jobcontroller.io/v1alpha1/flinkjobs")
        }
    }

    @Test func compactedHistoryIsGoneAndARelistRecovers() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs("team-a")
            _ = try await jobs.create(.fixture("old-1"))
            let oldVersion = try #require(try await jobs.list().metadata.resourceVersion)
            _ = try await jobs.patch("old-1", .merge(["metadata": ["annotations": ["n": "1"]]]))
            fixture.emulator.compact()

            let stream = try await jobs.watch(WatchOptions(resourceVersion: oldVersion))
            let error = await #expect(throws: KubernetesError.self) { try await stream.first(1) }
            #expect(error?.isGone == true)
            guard case .gone(let status) = error else {
                Issue.record("expected .gone, got \(String(describing: error))")
                return
            }
            #expect(status?.code == 410)

            let exact = await #expect(throws: KubernetesError.self) {
                try await jobs.list(ListOptions(resourceVersion: oldVersion, resourceVersionMatch: .exact))
            }
            #expect(exact?.isGone == true)

            // Relist, then watch from the new list's resourceVersion.
            let relisted = try await jobs.list()
            #expect(relisted.items.first?.metadata.annotations == ["n": "1"])
            let fresh = try await jobs.watch(
                WatchOptions(resourceVersion: relisted.metadata.resourceVersion, allowWatchBookmarks: false))
            _ = try await jobs.create(.fixture("new-1"))
            #expect(try await fresh.first(1).map(\.summary) == ["ADDED new-1"])
        }
    }

    @Test func bookmarksDecodeAndMarkTheEndOfInitialEvents() async throws {
        try await EmulatorFixture.with(configure: { $0.watchTimeScale = 0.02 }) { fixture in
            let jobs = fixture.jobs("team-a")
            _ = try await jobs.create(.fixture("bm-job"))
            let initial = try await jobs.watch(WatchOptions(sendInitialEvents: true))
            let events = try await initial.first(2)
            #expect(events.first?.summary == "ADDED bm-job")
            guard case .bookmark(let end) = events.last else {
                Issue.record("expected a bookmark, got \(events.map(\.summary))")
                return
            }
            #expect(end.isInitialEventsEnd)
            #expect(events.last?.resourceVersion != nil)

            // Periodic bookmarks (every 60 s scaled by 0.02) on a quiet watch, then the clean end at the timeout.
            let current = try #require(try await jobs.list().metadata.resourceVersion)
            let quiet = try await jobs.watch(WatchOptions(resourceVersion: current, timeoutSeconds: 150))
            var sawBookmark = false
            let ended = try await withDeadline("the watch to end", seconds: 30) {
                var bookmarks = 0
                for try await event in quiet {
                    if case .bookmark(let bookmark) = event {
                        bookmarks += 1
                        #expect(!bookmark.isInitialEventsEnd)
                    }
                }
                return bookmarks
            }
            sawBookmark = ended > 0
            #expect(sawBookmark)
        }
    }

    @Test func dropWatchEndsTheSequenceCleanly() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs("team-a")
            let start = try #require(try await jobs.list().metadata.resourceVersion)
            let stream = try await jobs.watch(WatchOptions(resourceVersion: start))
            fixture.emulator.dropWatches()
            let count = try await withDeadline("the dropped watch to end") {
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
            #expect(count == 0)
        }
    }

    @Test func watchOpenedWithAnErrorStatusThrowsTyped() async throws {
        try await EmulatorFixture.with { fixture in
            fixture.emulator.inject(
                FaultRule(matching: RequestMatcher(watch: true), status: 410, message: "too old", count: 1))
            let gone = await #expect(throws: KubernetesError.self) { try await fixture.jobs().watch() }
            #expect(gone?.isGone == true)
            fixture.emulator.inject(
                FaultRule(matching: RequestMatcher(watch: true), status: 503, retryAfterSeconds: 2, count: 1))
            let unavailable = await #expect(throws: KubernetesError.self) { try await fixture.jobs().watch() }
            #expect(unavailable?.apiError?.statusCode == 503)
            #expect(unavailable?.retryAfter == .seconds(2))
        }
    }
}
