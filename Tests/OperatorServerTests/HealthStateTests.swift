import Foundation
import OperatorServer
import Testing

@Suite("HealthState")
struct HealthStateTests {
    @Test("liveness is OK without checks and fails while a liveness check fails")
    func livenessFollowsItsChecks() {
        let health = HealthState()
        #expect(health.report(for: .liveness).statusCode == 200)
        health.setLive("watchdog", false, detail: "stuck")
        #expect(health.report(for: .liveness).statusCode == 503)
        #expect(health.report(for: .liveness).checks["watchdog"] == HealthCheck(ok: false, detail: "stuck"))
        health.setLive("watchdog", true)
        #expect(health.report(for: .liveness).statusCode == 200)
        health.setLive("other", false)
        health.removeLive("other")
        #expect(health.report(for: .liveness).isHealthy)
    }

    @Test("readiness waits for startup and for every readiness check")
    func readinessNeedsStartupAndAllChecks() {
        let health = HealthState()
        #expect(health.report(for: .readiness).statusCode == 503)
        #expect(health.report(for: .readiness).checks["startup"]?.ok == false)
        health.setReady("caches", false, detail: "syncing")
        health.setReady("leader-election", true, detail: "standing by")
        health.markStartupComplete(detail: "caches synced once")
        #expect(health.report(for: .readiness).statusCode == 503)
        health.setReady("caches", true, detail: "synced")
        let report = health.report(for: .readiness)
        #expect(report.statusCode == 200)
        #expect(report.status == "ok")
        #expect(Set(report.checks.keys) == ["caches", "leader-election", "startup"])
        health.setReady("leader-election", false, detail: "lost contact with the API server")
        #expect(health.report(for: .readiness).statusCode == 503)
        health.removeReady("leader-election")
        #expect(health.report(for: .readiness).statusCode == 200)
    }

    @Test("readiness can ignore startup when configured so")
    func readinessWithoutStartupGate() {
        let health = HealthState(readinessRequiresStartup: false)
        #expect(health.report(for: .readiness).statusCode == 200)
        #expect(health.report(for: .readiness).checks.isEmpty)
        health.setReady("caches", false)
        #expect(health.report(for: .readiness).statusCode == 503)
    }

    @Test("a caller's own readiness check named startup cannot hide a pending startup, nor be hidden by a finished one")
    func ownStartupCheckCombinesWithTheImplicitOne() {
        let health = HealthState()
        health.setReady("startup", true, detail: "mine")
        #expect(health.report(for: .readiness).statusCode == 503)
        health.markStartupComplete()
        #expect(health.report(for: .readiness).statusCode == 200)
        health.setReady("startup", false, detail: "mine failed")
        #expect(health.report(for: .readiness).statusCode == 503)
    }

    @Test("startup turns OK once and stays OK")
    func startupLatches() {
        let health = HealthState()
        #expect(!health.isStartupComplete)
        #expect(health.report(for: .startup).statusCode == 503)
        health.markStartupComplete()
        health.markStartupComplete(detail: "again")
        #expect(health.isStartupComplete)
        #expect(health.report(for: .startup).checks == ["startup": HealthCheck(ok: true, detail: "again")])
        health.setReady("caches", false)
        #expect(health.report(for: .startup).statusCode == 200)
    }

    @Test("the JSON body has the status and every check")
    func jsonBody() throws {
        let health = HealthState()
        health.setReady("caches", true, detail: "synced \"3\" kinds")
        let body = String(decoding: health.report(for: .readiness).jsonBody(), as: UTF8.self)
        #expect(
            body
                == #"{"checks":{"caches":{"detail":"synced \"3\" kinds","ok":true},"startup":{"detail":"startup not complete","ok":false}},"status":"unavailable"}"#
        )
        let live = String(decoding: health.report(for: .liveness).jsonBody(), as: UTF8.self)
        #expect(live == #"{"checks":{},"status":"ok"}"#)
    }

    @Test("concurrent updates and reads stay consistent")
    func concurrentUpdates() async {
        let health = HealthState(readinessRequiresStartup: false)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for round in 0..<500 {
                        health.setReady("check-\(worker)", round % 2 == 1, detail: "round \(round)")
                        _ = health.report(for: .readiness).jsonBody()
                    }
                }
            }
        }
        let report = health.report(for: .readiness)
        #expect(report.checks.count == 8)
        #expect(report.checks.values.allSatisfy { $0 == HealthCheck(ok: true, detail: "round 499") })
    }

    @Test("each probe answers on the contract's paths")
    func probePaths() {
        #expect(HealthProbe.liveness.paths == ["/health/live", "/healthz"])
        #expect(HealthProbe.readiness.paths == ["/health/ready", "/readyz"])
        #expect(HealthProbe.startup.paths == ["/health/startup"])
    }
}
