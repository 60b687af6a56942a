@testable import ControllerRuntime
import JSONCore
import Kubernetes
import KubernetesEmulator
import Testing

@Suite(.serialized) struct StatusWriterTests {
    private func statusWrites(_ env: TestEnvironment) -> [RequestLogEntry] {
        env.emulator.requestLog.filter { $0.path.hasSuffix("/status") && ($0.method == "PUT" || $0.method == "PATCH") }
    }

    @Test func anUnchangedStatusSendsNoRequestAtAll() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, logger: env.logger)
        var widget = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        let first = try await writer.write(widget, status: Widget.Status(phase: "Ready", observedSize: 1))
        #expect(first.wasWritten)
        widget = first.object
        env.emulator.clearRequestLog()
        let second = try await writer.write(widget, status: Widget.Status(phase: "Ready", observedSize: 1))
        #expect(!second.wasWritten)
        #expect(second.object.metadata.resourceVersion == widget.metadata.resourceVersion)
        #expect(env.emulator.requestLog.isEmpty)
    }

    @Test func aChangedStatusIsWrittenThroughTheSubresourceAndTheStoredObjectReturned() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, logger: env.logger)
        let widget = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        env.emulator.clearRequestLog()
        let result = try await writer.write(widget, status: Widget.Status(phase: "Deploying"))
        #expect(result.wasWritten)
        #expect(result.object.status?.phase == "Deploying")
        #expect(result.object.metadata.resourceVersion != widget.metadata.resourceVersion)
        let stored = env.emulator.object(Widget.resource, namespace: "default", name: "a")
        #expect(stored?[path: ["status", "phase"]]?.stringValue == "Deploying")
        #expect(stored?[path: ["metadata", "resourceVersion"]]?.stringValue == result.object.metadata.resourceVersion)
        #expect(statusWrites(env).map(\.method) == ["PUT"])
    }

    @Test func aConflictRereadsTheObjectAndReappliesOnlyThisReconcilesChange() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, logger: env.logger)
        let key = ObjectKey(namespace: "default", name: "a")
        let seeded = try await writer.write(try await env.widgets.get(key), status: Widget.Status(phase: "Pending", note: "old"))
        let stale = seeded.object
        // Another writer changes the status after our reconcile read the object.
        let other = env.emulator.perform(
            "PATCH", Widget.resource.path(namespace: "default", name: "a", subresource: "status"),
            body: ["status": ["note": "theirs"]], contentType: "application/merge-patch+json")
        #expect(other.status == 200)
        env.emulator.clearRequestLog()
        let result = try await writer.write(stale, status: Widget.Status(phase: "Running", note: "old"))
        #expect(result.wasWritten)
        // Our change (phase) landed; their change (note), which we did not touch, survived.
        #expect(result.object.status?.phase == "Running")
        #expect(result.object.status?.note == "theirs")
        let log = env.emulator.requestLog
        #expect(log.map { "\($0.method) \($0.status)" } == ["PUT 409", "GET 200", "PUT 200"])
    }

    @Test func anIntentWriteFromAStaleObjectThrowsAConflictAndWritesNothing() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, logger: env.logger)
        let stale = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        _ = env.emulator.perform(
            "PATCH", Widget.resource.path(namespace: "default", name: "a", subresource: "status"),
            body: ["status": ["phase": "Running", "note": "theirs"]], contentType: "application/merge-patch+json")
        env.emulator.clearRequestLog()
        await #expect {
            _ = try await writer.write(stale, status: Widget.Status(phase: "Deploying"), reapplyOnConflict: false)
        } throws: { error in
            guard case ControllerRuntimeError.statusConflict(_, let attempts) = error else { return false }
            return attempts == 1
        }
        // One refused PUT, no re-read, no second write: the fresh status is untouched.
        #expect(env.emulator.requestLog.map { "\($0.method) \($0.status)" } == ["PUT 409"])
        let stored = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        #expect(stored.status?.phase == "Running" && stored.status?.note == "theirs")
    }

    @Test func aChangeSomeoneElseAlreadyMadeNeedsNoSecondWrite() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, logger: env.logger)
        let stale = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        _ = env.emulator.perform(
            "PATCH", Widget.resource.path(namespace: "default", name: "a", subresource: "status"),
            body: ["status": ["phase": "Running"]], contentType: "application/merge-patch+json")
        env.emulator.clearRequestLog()
        let result = try await writer.write(stale, status: Widget.Status(phase: "Running"))
        #expect(!result.wasWritten)
        #expect(result.object.status?.phase == "Running")
        #expect(env.emulator.requestLog.map(\.method) == ["PUT", "GET"])
    }

    @Test func endlessConflictsGiveUpAfterTheConfiguredAttempts() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, maxAttempts: 3, logger: env.logger)
        let widget = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        env.emulator.inject(
            FaultRule(matching: RequestMatcher(method: "PUT", path: .regex("/status$")), status: 409, count: nil))
        env.emulator.clearRequestLog()
        await #expect {
            _ = try await writer.write(widget, status: Widget.Status(phase: "Running"))
        } throws: { error in
            guard case ControllerRuntimeError.statusConflict(_, let attempts) = error else { return false }
            return attempts == 3
        }
        #expect(statusWrites(env).count == 3)
    }

    @Test func otherFailuresAreReportedAsStatusWriteErrorsWithTheCause() async throws {
        let env = try await TestEnvironment.start()
        defer { Task { await env.stop() } }
        try env.createWidget("a")
        let writer = StatusWriter(api: env.widgets, logger: env.logger)
        let widget = try await env.widgets.get(ObjectKey(namespace: "default", name: "a"))
        try env.deleteWidget("a")
        await #expect {
            _ = try await writer.write(widget, status: Widget.Status(phase: "Running"))
        } throws: { error in
            guard case ControllerRuntimeError.statusWrite(_, let underlying) = error else { return false }
            return BackendFailure.isNotFound(underlying)
        }
    }
}

@Suite struct ConditionsTests {
    private let t0 = KubeTime(secondsSince1970: 1_000)
    private let t1 = KubeTime(secondsSince1970: 2_000)

    @Test func aNewConditionGetsTheCurrentTimeAndGeneration() {
        var conditions: [Condition] = []
        let changed = conditions.set("Ready", status: .false, reason: "Deploying", message: "m", observedGeneration: 3, now: t0)
        #expect(changed)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == t0)
        #expect(conditions[type: "Ready"]?.observedGeneration == 3)
    }

    @Test func theTransitionTimeIsKeptWhileTheStatusStaysTheSame() {
        var conditions: [Condition] = []
        conditions.set("Ready", status: .false, reason: "Deploying", message: "a", observedGeneration: 1, now: t0)
        let changed = conditions.set("Ready", status: .false, reason: "Waiting", message: "b", observedGeneration: 2, now: t1)
        #expect(changed)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == t0)
        #expect(conditions[type: "Ready"]?.reason == "Waiting")
        #expect(conditions[type: "Ready"]?.observedGeneration == 2)
    }

    @Test func aFlipOfTheStatusMovesTheTransitionTime() {
        var conditions: [Condition] = []
        conditions.set("Ready", status: .false, reason: "Deploying", message: "", observedGeneration: 1, now: t0)
        conditions.set("Ready", status: .true, reason: "Running", message: "", observedGeneration: 1, now: t1)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == t1)
    }

    @Test func settingTheSameValuesAgainChangesNothing() {
        var conditions: [Condition] = []
        conditions.set("Ready", status: .true, reason: "Running", message: "ok", observedGeneration: 1, now: t0)
        let before = conditions
        let changed = conditions.set("Ready", status: .true, reason: "Running", message: "ok", observedGeneration: 1, now: t1)
        #expect(!changed)
        #expect(conditions == before)
    }

    @Test func otherConditionsKeepTheirOrder() {
        var conditions: [Condition] = []
        conditions.set("Ready", status: .true, reason: "R", message: "", observedGeneration: 1, now: t0)
        conditions.set("Progressing", status: .false, reason: "P", message: "", observedGeneration: 1, now: t0)
        conditions.set("Ready", status: .false, reason: "R2", message: "", observedGeneration: 1, now: t1)
        #expect(conditions.map(\.type) == ["Ready", "Progressing"])
        let changed = conditions.remove(type: "Ready")
        #expect(changed)
        #expect(conditions.map(\.type) == ["Progressing"])
    }
}
