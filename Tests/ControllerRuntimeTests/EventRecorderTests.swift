@testable import ControllerRuntime
import JSONCore
import Kubernetes
import KubernetesEmulator
import MetricsTestKit
import Testing

@Suite(.serialized) struct EventRecorderTests {
    private func recorder(_ env: TestEnvironment, interval: Duration = .seconds(30), metrics: TestMetrics = TestMetrics())
        -> EventRecorder
    {
        EventRecorder(
            sink: KubernetesEventSink(client: env.client),
            configuration: .init(reportingInstance: "host_1234", seriesUpdateInterval: interval),
            logger: env.logger, metricsFactory: metrics)
    }

    private func reference(_ name: String, namespace: String? = "default", kind: String = "Widget") -> ObjectReference {
        ObjectReference(apiVersion: "test.jobcontroller.io/v1", kind: kind, namespace: namespace, name: name, uid: "uid-\(name)")
    }

    private func events(_ env: TestEnvironment, namespace: String = "default") -> [JSONValue] {
        env.emulator.objects(.eventsV1, namespace: namespace)
    }

    @Test func aHundredIdenticalEventsBecomeOneEventWithCountAHundred() async throws {
        let env = try await TestEnvironment.start(namespaces: ["flink-system"])
        defer { Task { await env.stop() } }
        let recorder = recorder(env)
        env.emulator.clearRequestLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            for _ in 0..<100 {
                recorder.record(.warning, reason: "SubmitFailed", action: "Submit", regarding: reference("a"), note: "the cluster is unreachable")
            }
            #expect(await eventually { events(env).count == 1 })
            await recorder.flush()
            group.cancelAll()
        }
        let stored = events(env)
        #expect(stored.count == 1)
        #expect(stored.first?[path: ["series", "count"]]?.integerValue == 100)
        #expect(stored.first?["reason"]?.stringValue == "SubmitFailed")
        #expect(stored.first?["type"]?.stringValue == "Warning")
        #expect(stored.first?["reportingController"]?.stringValue == "flink.jobcontroller.io/operator")
        #expect(stored.first?["reportingInstance"]?.stringValue == "host_1234")
        #expect(stored.first?[path: ["regarding", "name"]]?.stringValue == "a")
        // One create and one series update — not a hundred writes.
        let writes = env.emulator.requestLog.filter { $0.path.contains("/events") && $0.method != "GET" }
        #expect(writes.count <= 2)
        #expect(writes.first?.method == "POST")
    }

    @Test func seriesUpdatesAreThrottledToTheConfiguredInterval() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let recorder = recorder(env, interval: .milliseconds(300))
        env.emulator.clearRequestLog()
        var occurrences = 0
        var elapsed = Duration.zero
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            let started = ContinuousClock.now
            while ContinuousClock.now - started < .seconds(1) {
                recorder.record(.normal, reason: "Probed", action: "Probe", regarding: reference("a"), note: "ok")
                occurrences += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            elapsed = ContinuousClock.now - started
            await recorder.flush()
            group.cancelAll()
        }
        let patches = env.emulator.requestLog.filter { $0.path.contains("/events") && $0.method == "PATCH" }
        // At most one update per 300 ms (plus the final flush), far below one per occurrence.
        let allowed = Int(elapsed / .milliseconds(300)) + 2
        #expect(patches.count >= 1)
        #expect(patches.count <= allowed, "\(patches.count) updates for \(occurrences) occurrences in \(elapsed)")
        #expect(occurrences > patches.count * 3)
        #expect(events(env).count == 1)
        #expect(events(env).first?[path: ["series", "count"]]?.integerValue == Int64(occurrences))
    }

    @Test func differentReasonsOrObjectsAreSeparateEvents() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let recorder = recorder(env)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            recorder.record(.normal, reason: "Submitted", action: "Submit", regarding: reference("a"), note: "job 1")
            recorder.record(.normal, reason: "Submitted", action: "Submit", regarding: reference("b"), note: "job 1")
            recorder.record(.warning, reason: "SubmitFailed", action: "Submit", regarding: reference("a"), note: "job 1")
            recorder.record(.normal, reason: "Submitted", action: "Submit", regarding: reference("a"), note: "job 2")
            #expect(await eventually { events(env).count == 4 })
            group.cancelAll()
        }
        #expect(events(env).allSatisfy { $0["series"] == nil })
    }

    @Test func eventsAboutClusterScopedObjectsGoToTheDefaultNamespaceAsTheAPIServerRequires() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let recorder = recorder(env)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            recorder.record(
                .warning, reason: "Unreachable", action: "Probe",
                regarding: reference("shared", namespace: nil, kind: "FlinkSessionCluster"), note: "connection refused")
            #expect(await eventually { events(env, namespace: "default").count == 1 })
            group.cancelAll()
        }
        #expect(events(env, namespace: "default").first?[path: ["regarding", "kind"]]?.stringValue == "FlinkSessionCluster")
    }

    @Test func longNotesAreCutToOneKibibyteOnACharacterBoundary() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let recorder = recorder(env)
        let note = String(repeating: "ü", count: 700)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            recorder.record(.normal, reason: "Long", action: "Say", regarding: reference("a"), note: note)
            #expect(await eventually { events(env).count == 1 })
            group.cancelAll()
        }
        let stored = events(env).first?["note"]?.stringValue ?? ""
        #expect(stored.utf8.count == 1024)
        #expect(stored == String(repeating: "ü", count: 512))
    }

    @Test func failingWritesNeverReachTheCallerAndAreCounted() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        let metrics = TestMetrics()
        let recorder = recorder(env, metrics: metrics)
        env.emulator.inject(FaultRule(matching: RequestMatcher(method: "POST", path: .regex("/events$")), status: 500, count: nil))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await recorder.run() }
            let started = ContinuousClock.now
            for index in 0..<50 {
                recorder.record(.warning, reason: "R\(index)", action: "A", regarding: reference("a"), note: "n")
            }
            // Recording is only bookkeeping: fast even while every write fails.
            #expect(ContinuousClock.now - started < .seconds(1))
            #expect(
                await eventually {
                    metrics.counterTotal(label: "controller_runtime_event_write_failures_total") >= 50
                })
            group.cancelAll()
        }
        #expect(events(env).isEmpty)
    }
}
