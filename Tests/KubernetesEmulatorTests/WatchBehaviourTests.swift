import Foundation
import JSONCore
import KubernetesEmulator
import Testing

@Suite("Watch behaviour")
struct WatchBehaviourTests {
    @Test func concurrentWritersProduceOneStreamInResourceVersionOrder() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let start = emulator.resourceVersion
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        let watch = try await client.watch(path, query: ["resourceVersion": start], expecting: 100)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for i in 0..<25 {
                        let answer = try await client.request("POST", path, body: Fixtures.job("w\(writer)-\(i)"))
                        #expect(answer.status == 201)
                    }
                }
            }
            try await group.waitForAll()
        }
        await watch.waitForCount(timeout: .seconds(20))
        let events = watch.events
        watch.cancel()
        #expect(events.count == 100)
        let revisions = events.compactMap { $0[path: ["object", "metadata", "resourceVersion"]]?.stringValue.flatMap { Int64($0) } }
        #expect(revisions == revisions.sorted() && Set(revisions).count == revisions.count)
        #expect(Set(events.compactMap { $0[path: ["object", "metadata", "name"]]?.stringValue }).count == 100)
        #expect(events.allSatisfy { $0["type"] == "ADDED" })
        await client.close()
        await emulator.stop()
    }

    @Test func watchFromACompactedRevisionGets410AndARelistRecovers() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        _ = try await client.request("POST", path, body: Fixtures.job("before"))
        let listed = try await client.request("GET", path)
        let oldRevision = try #require(listed.body?[path: ["metadata", "resourceVersion"]]?.stringValue)
        _ = try await client.request("POST", path, body: Fixtures.job("after"))
        emulator.compact()
        let stale = try await client.watch(path, query: ["resourceVersion": oldRevision], expecting: 1)
        try await stale.waitForEnd(timeout: .seconds(5))
        #expect(stale.events.count == 1)
        #expect(stale.events.first?["type"] == "ERROR")
        #expect(stale.events.first?[path: ["object", "code"]] == 410)
        #expect(stale.events.first?[path: ["object", "reason"]] == "Expired")
        let exact = try await client.request("GET", path, query: ["resourceVersion": oldRevision, "resourceVersionMatch": "Exact"])
        #expect(exact.status == 410)
        let relist = try await client.request("GET", path)
        #expect(relist.body?["items"]?.arrayValue?.count == 2)
        let fresh = try #require(relist.body?[path: ["metadata", "resourceVersion"]]?.stringValue)
        let resumed = try await client.watch(path, query: ["resourceVersion": fresh], expecting: 1)
        _ = try await client.request("POST", path, body: Fixtures.job("later"))
        await resumed.waitForCount(timeout: .seconds(5))
        #expect(resumed.events.first?[path: ["object", "metadata", "name"]] == "later")
        resumed.cancel()
        await client.close()
        await emulator.stop()
    }

    @Test func bookmarksFollowTheIntervalAndTheDeadlineThenTheStreamEndsCleanly() async throws {
        let emulator = try await Fixtures.emulator {
            $0.watchTimeScale = 0.01
            $0.bookmarkInterval = .seconds(10)
        }
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        let watch = try await client.watch(path, query: ["resourceVersion": emulator.resourceVersion,
                                                         "allowWatchBookmarks": "true", "timeoutSeconds": "35"])
        try await watch.waitForEnd(timeout: .seconds(10))
        let bookmarks = watch.events.filter { $0["type"] == "BOOKMARK" }
        // Every 10 s (10, 20, 30), then at deadline-2 s on the one-second tick grid (33 and 34).
        #expect(bookmarks.count == 5)
        #expect(bookmarks.allSatisfy { $0[path: ["object", "metadata", "resourceVersion"]]?.stringValue == emulator.resourceVersion })
        #expect(bookmarks.allSatisfy { $0[path: ["object", "spec"]] == nil && $0[path: ["object", "kind"]] == "FlinkJob" })
        await client.close()
        await emulator.stop()
    }

    @Test func droppingWatchesEndsThemAfterTheRequestedNumberOfEvents() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        let watch = try await client.watch(path, query: ["resourceVersion": emulator.resourceVersion])
        try await Task.sleep(for: .milliseconds(100))
        #expect(emulator.openWatchCount == 1)
        emulator.dropWatches(pathPrefix: path, afterEvents: 2)
        for i in 0..<4 { _ = try await client.request("POST", path, body: Fixtures.job("j\(i)")) }
        try await watch.waitForEnd(timeout: .seconds(5))
        #expect(watch.events.count == 2)
        await client.close()
        await emulator.stop()
    }

    @Test func labelSelectedWatchSeesObjectsLeavingAndEnteringTheSelection() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        let watch = try await client.watch(path, query: ["resourceVersion": emulator.resourceVersion, "labelSelector": "tier=gold"],
                                           expecting: 3)
        _ = try await client.request("POST", path, body: Fixtures.job("x", labels: ["tier": "gold"]))
        _ = try await client.request("PATCH", path + "/x", body: ["metadata": ["labels": ["tier": "silver"]]],
                                     contentType: "application/merge-patch+json")
        _ = try await client.request("PATCH", path + "/x", body: ["metadata": ["labels": ["tier": "gold"]]],
                                     contentType: "application/merge-patch+json")
        await watch.waitForCount(timeout: .seconds(5))
        #expect(watch.events.map { $0["type"]?.stringValue ?? "" } == ["ADDED", "DELETED", "ADDED"])
        watch.cancel()
        await client.close()
        await emulator.stop()
    }

    @Test func aWatchWhoseClientLeftIsClosedOnTheServerAtItsNextWrite() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let path = Fixtures.flinkJobs.path(namespace: "team-a")
        let watch = try await client.watch(path)
        try await Task.sleep(for: .milliseconds(100))
        #expect(emulator.openWatchCount == 1)
        watch.cancel()
        await client.close()
        // The server notices a vanished client when writing to it (the next event or bookmark).
        var open = emulator.openWatchCount
        for i in 0..<100 where open > 0 {
            try emulator.create(Fixtures.flinkJobs, namespace: "team-a", Fixtures.job("poke-\(i)"))
            try await Task.sleep(for: .milliseconds(50))
            open = emulator.openWatchCount
        }
        #expect(open == 0)
        await emulator.stop()
    }
}
