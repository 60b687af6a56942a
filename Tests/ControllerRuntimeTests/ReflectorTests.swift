@testable import ControllerRuntime
import Foundation
import JSONCore
import Kubernetes
import KubernetesEmulator
import MetricsTestKit
import Testing

@Suite(.serialized) struct ReflectorTests {
    /// Runs `reflector` for the duration of `body`.
    private func running<API: ObjectAPI>(_ reflector: Reflector<API>, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await reflector.run() }
            try await body()
            group.cancelAll()
        }
    }

    private var fastBackoff: Backoff { Backoff(initial: .milliseconds(50), maximum: .milliseconds(200), jitter: 0.1) }

    @Test func listsThenFollowsCreatesUpdatesAndDeletesUntilTheCacheEqualsTheServer() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        try env.createWidget("b", namespace: "team-a")
        let reflector = Reflector(api: env.widgets, configuration: .init(backoff: fastBackoff), logger: env.logger, metricsFactory: TestMetrics())
        try await running(reflector) {
            #expect(await eventually { reflector.hasSynced })
            #expect(cachedWidgets(reflector.store) == env.serverWidgets())
            try env.createWidget("c", namespace: "team-b")
            try env.setSize("a", 5)
            try env.deleteWidget("b", namespace: "team-a")
            #expect(await eventually { cachedWidgets(reflector.store) == env.serverWidgets() })
            #expect(reflector.store.get(ObjectKey(namespace: "default", name: "a"))?.spec.size == 5)
            #expect(reflector.store.get(ObjectKey(namespace: "team-a", name: "b")) == nil)
        }
    }

    @Test func aDroppedWatchResumesFromTheLastVersionWithoutMissingOrRepeatingAnEvent() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let reflector = Reflector(api: env.widgets, configuration: .init(backoff: fastBackoff), logger: env.logger, metricsFactory: TestMetrics())
        let seen = Shared<[String]>([])
        try await running(reflector) {
            #expect(await eventually { reflector.hasSynced })
            let changes = reflector.store.changes()
            let collector = Task {
                for await change in changes {
                    let widget = change.object
                    seen.withLock { $0.append("\(widget.metadata.name ?? "")@\(widget.metadata.resourceVersion ?? "")") }
                }
            }
            env.emulator.clearRequestLog()
            var expected: [String] = []
            for round in 0..<5 {
                for index in 0..<4 {
                    let created = try env.createWidget("w\(round)-\(index)")
                    expected.append("w\(round)-\(index)@\(created[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")")
                }
                // Wait until the reflector has the round, then cut its stream and wait for the resumed watch
                // (so the next round cannot arrive through the stream being dropped).
                #expect(await eventually { reflector.store.count == (round + 1) * 4 })
                env.emulator.dropWatches()
                let lastVersion = expected.last?.split(separator: "@").last.map(String.init)
                #expect(await eventually {
                    env.emulator.requestLog.contains {
                        $0.path.hasSuffix("/widgets") && $0.verb == "watch" && $0.query["resourceVersion"] == lastVersion
                    }
                }, "no watch resumed from round \(round)'s last version")
            }
            #expect(await eventually { seen.value.count >= expected.count })
            try? await Task.sleep(for: .milliseconds(200))
            collector.cancel()
            #expect(seen.value == expected)
            // Every resumed watch started where the previous one stopped; nothing was listed again.
            let log = env.emulator.requestLog.filter { $0.path.hasSuffix("/widgets") }
            #expect(log.filter { $0.verb == "list" }.isEmpty)
            let watchVersions = log.filter { $0.verb == "watch" }.compactMap { $0.query["resourceVersion"] }
            #expect(watchVersions.count >= 5)
            for round in 0..<4 {
                let lastOfRound = expected[round * 4 + 3].split(separator: "@").last.map(String.init)
                #expect(watchVersions.contains { $0 == lastOfRound }, "no watch resumed from round \(round)'s last version")
            }
        }
    }

    @Test func afterCompactionTheReflectorRelistsAndTheCacheEndsIdenticalToTheServer() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        for index in 0..<5 { try env.createWidget("keep\(index)") }
        try env.createWidget("doomed", namespace: "team-a")
        let reflector = Reflector(api: env.widgets, configuration: .init(backoff: fastBackoff), logger: env.logger, metricsFactory: TestMetrics())
        try await running(reflector) {
            #expect(await eventually { reflector.hasSynced && reflector.store.count == 6 })
            // Cut the reflector off, change the world, and compact history behind its back.
            let watches = RequestMatcher(method: "GET", path: .prefix(Widget.resource.path()), watch: true)
            env.emulator.inject(FaultRule(matching: watches, status: 500, count: nil))
            env.emulator.dropWatches()
            try await Task.sleep(for: .milliseconds(100))
            try env.deleteWidget("doomed", namespace: "team-a")
            try env.setSize("keep0", 42)
            try env.createWidget("new", namespace: "team-b")
            env.emulator.compact()
            env.emulator.clearRequestLog()
            env.emulator.clearFaults()
            #expect(await eventually { cachedWidgets(reflector.store) == env.serverWidgets() })
            #expect(reflector.store.get(ObjectKey(namespace: "team-a", name: "doomed")) == nil)
            #expect(reflector.store.get(ObjectKey(namespace: "default", name: "keep0"))?.spec.size == 42)
            let log = env.emulator.requestLog.filter { $0.path.hasSuffix("/widgets") }
            #expect(log.contains { $0.verb == "list" }, "the reflector did not list again after 410")
        }
    }

    @Test func onlyTheConfiguredNamespacesAndLabelsAreCached() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a1", namespace: "team-a", labels: ["tier": "gold"])
        try env.createWidget("a2", namespace: "team-a")
        try env.createWidget("b1", namespace: "team-b", labels: ["tier": "gold"])
        try env.createWidget("d1", namespace: "default", labels: ["tier": "gold"])
        let reflector = Reflector(
            api: env.widgets,
            configuration: .init(namespaces: .only(["team-a", "team-b"]), labelSelector: "tier=gold", backoff: fastBackoff),
            logger: env.logger, metricsFactory: TestMetrics())
        try await running(reflector) {
            #expect(await eventually { reflector.hasSynced })
            #expect(reflector.store.keys.map(\.description) == ["team-a/a1", "team-b/b1"])
            try env.createWidget("b2", namespace: "team-b", labels: ["tier": "gold"])
            try env.createWidget("d2", namespace: "default", labels: ["tier": "gold"])
            #expect(await eventually { reflector.store.count == 3 })
            try? await Task.sleep(for: .milliseconds(150))
            #expect(reflector.store.keys.map(\.description) == ["team-a/a1", "team-b/b1", "team-b/b2"])
            #expect(reflector.store.list(namespace: "team-b").count == 2)
        }
    }

    @Test func anObjectThatDoesNotDecodeIsReportedAndSkippedAndTheWatchGoesOn() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let metrics = TestMetrics()
        let recorder = EventRecorder(
            sink: KubernetesEventSink(client: env.client),
            configuration: .init(reportingInstance: "test-instance", seriesUpdateInterval: .milliseconds(50)),
            logger: env.logger, metricsFactory: metrics)
        let logs = LogRecorder()
        try env.createWidget("bad-at-list", size: "many")
        try env.createWidget("good")
        let reflector = Reflector(
            api: env.widgets, configuration: .init(backoff: fastBackoff), eventRecorder: recorder, logger: logs.logger(),
            metricsFactory: metrics)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            try await running(reflector) {
                #expect(await eventually { reflector.hasSynced })
                #expect(reflector.store.keys.map(\.name) == ["good"])
                try env.createWidget("bad-on-watch", size: ["not": "an int"])
                try env.createWidget("after")
                #expect(await eventually { reflector.store.get(ObjectKey(namespace: "default", name: "after")) != nil })
                #expect(reflector.store.get(ObjectKey(namespace: "default", name: "bad-on-watch")) == nil)
                // A bad update of a good object keeps the last good version; a delete still removes it.
                try env.setSize("good", "huge")
                try env.createWidget("after2")
                #expect(await eventually { reflector.store.get(ObjectKey(namespace: "default", name: "after2")) != nil })
                #expect(reflector.store.get(ObjectKey(namespace: "default", name: "good"))?.spec.size == 1)
                try env.deleteWidget("good")
                #expect(await eventually { reflector.store.get(ObjectKey(namespace: "default", name: "good")) == nil })
                #expect(
                    await eventually {
                        env.emulator.objects(.eventsV1, namespace: "default").filter {
                            $0["reason"]?.stringValue == "DecodeFailed"
                        }.count == 3
                    })
            }
            group.cancelAll()
        }
        #expect(metrics.counterTotal(label: "controller_runtime_reflector_decode_failures_total", dimensions: [("kind", "Widget")]) == 3)
        let warnings = logs.all.filter { $0.level == .warning && $0.message.contains("does not decode") }
        #expect(Set(warnings.compactMap { $0.metadata["object"] }) == ["default/bad-at-list", "default/bad-on-watch", "default/good"])
        let events = env.emulator.objects(.eventsV1, namespace: "default").filter { $0["reason"]?.stringValue == "DecodeFailed" }
        let regarding = Set(events.compactMap { $0[path: ["regarding", "name"]]?.stringValue })
        #expect(regarding == ["bad-at-list", "bad-on-watch", "good"])
        #expect(events.allSatisfy { $0["type"]?.stringValue == "Warning" })
        #expect(events.allSatisfy { ($0["note"]?.stringValue ?? "").contains("spec.size") })
    }
}
