import FlinkModel
import FlinkREST
import Synchronization
import Testing

@Suite struct FaultyFlinkServiceTests {
    @Test func theNextCallsFailBeforeReachingFlinkThenCallsPassAgain() async throws {
        let flink = InMemoryFlink.fixture()
        let faulty = FaultyFlinkService(wrapping: flink)
        faulty.add(.fail([.uploadJar], with: .serverError(status: 503), next: 2))
        for _ in 0..<2 {
            let error = await flinkError { _ = try await faulty.uploadJar(at: "/x/a.jar", fileName: nil) }
            #expect(error?.kind == "serverError")
            #expect(error?.isTransient == true)
        }
        _ = try await faulty.uploadJar(at: "/x/a.jar", fileName: nil)
        #expect(flink.effects.count == 1)
        #expect(faulty.callCount(.uploadJar) == 3)
        #expect(faulty.injectedCount(.uploadJar) == 2)
    }

    @Test func aRunThatTakesEffectButWhoseAnswerIsLostLeavesTheJobAndARetryIsADuplicate() async throws {
        let flink = InMemoryFlink.fixture()
        let faulty = FaultyFlinkService(wrapping: flink)
        let jar = try await faulty.uploadJar(at: "/x/app.jar", fileName: nil).id
        faulty.add(.failAfterEffect([.runJar], with: .timeout))
        let id = FlinkJobID.fixture("a")
        let lost = await flinkError { _ = try await faulty.runJar(jar, .streaming(jobID: id)) }
        #expect(lost?.kind == "timeout")
        #expect(lost?.message.hasPrefix("POST /jars/:jarid/run") == true)
        #expect(flink.state(id) == .initializing)
        let retry = await flinkError { _ = try await faulty.runJar(jar, .streaming(jobID: id)) }
        #expect(retry?.kind == "duplicateJob")
        #expect(flink.allJobs.count == 1)
    }

    @Test("a proxy's HTML page is classified like the client does", arguments: [
        (404, "unexpectedResponse"), (200, "unexpectedResponse"), (500, "unexpectedResponse"), (502, "unreachable"),
        (504, "unreachable"), (401, "unauthorized"),
    ])
    func htmlPagesAreClassifiedLikeTheClient(_ status: Int, _ kind: String) async throws {
        let faulty = FaultyFlinkService(wrapping: InMemoryFlink.fixture())
        faulty.add(.fail([.jobStatus], with: .htmlPage(status: status)))
        let error = await flinkError { _ = try await faulty.jobStatus(.fixture("a")) }
        #expect(error?.kind == kind)
        #expect(error?.message.contains("<html>") == true, "\(String(describing: error))")
        #expect(error?.message.contains("nginx") == true)
    }

    @Test func probabilityFaultsAreTheSameForTheSameSeed() async {
        func failures(seed: UInt64) async -> [Bool] {
            let faulty = FaultyFlinkService(wrapping: InMemoryFlink.fixture(), seed: seed)
            faulty.add(.fail([.clusterOverview], with: .unreachable, probability: 0.3))
            var failed: [Bool] = []
            for _ in 0..<200 {
                failed.append(await flinkError { _ = try await faulty.clusterOverview() } != nil)
            }
            return failed
        }
        let first = await failures(seed: 9)
        #expect(await failures(seed: 9) == first)
        #expect(await failures(seed: 10) != first)
        let rate = Double(first.count { $0 }) / Double(first.count)
        #expect(rate > 0.15 && rate < 0.45)
    }

    @Test func delaysGoThroughTheInjectedSleepSoASimulationCanUseModelTime() async throws {
        let flink = InMemoryFlink.fixture()
        let faulty = FaultyFlinkService(wrapping: flink, sleep: { (duration: Duration) throws(FlinkRESTError) in flink.advance(by: duration) })
        faulty.add(.delay([.runJar], by: .seconds(3)))
        let jar = try await faulty.uploadJar(at: "/x/app.jar", fileName: nil).id
        _ = try await faulty.runJar(jar, .streaming())
        #expect(flink.elapsed == .seconds(3))
        #expect(flink.effects.last?.time == flink.configuration.startTime + 3000)
    }

    @Test func theNthCallRuleHitsOnlyThatCall() async {
        let faulty = FaultyFlinkService(wrapping: InMemoryFlink.fixture())
        faulty.add(FaultRule(operations: [.listJars], trigger: .onCall(2), fault: .fail(.unreachable)))
        var failed: [Bool] = []
        for _ in 0..<4 { failed.append(await flinkError { _ = try await faulty.listJars() } != nil) }
        #expect(failed == [false, true, false, false])
    }

    @Test func hooksSeeEveryCallInOrderAndCanSimulateACrashAfterTheSubmission() async throws {
        let flink = InMemoryFlink.fixture()
        let faulty = FaultyFlinkService(wrapping: flink)
        let order = Mutex<[String]>([])
        faulty.setBefore { (operation: FlinkOperation) throws(FlinkRESTError) in order.withLock { $0.append("before \(operation)") } }
        faulty.setAfter { (operation: FlinkOperation, result: Result<any Sendable, FlinkRESTError>) throws(FlinkRESTError) in
            order.withLock { $0.append("after \(operation)") }
            // The operator "dies" right after Flink accepted the job: the caller never sees the id.
            if operation == .runJar, case .success = result { throw .cancelled }
        }
        let jar = try await faulty.uploadJar(at: "/x/app.jar", fileName: nil).id
        let error = await flinkError { _ = try await faulty.runJar(jar, .streaming("ns/app")) }
        #expect(error?.kind == "cancelled")
        #expect(order.withLock { $0 } == ["before uploadJar", "after uploadJar", "before runJar", "after runJar"])
        #expect(flink.liveJobs(named: "ns/app").count == 1)
    }

    @Test func aBeforeHookThrowingFailsTheCallBeforeFlink() async throws {
        let flink = InMemoryFlink.fixture()
        let faulty = FaultyFlinkService(wrapping: flink)
        faulty.setBefore { (operation: FlinkOperation) throws(FlinkRESTError) in if operation.isMutating { throw .unreachable("down") } }
        #expect(await flinkError { _ = try await faulty.uploadJar(at: "/x/app.jar", fileName: nil) }?.kind == "unreachable")
        #expect(try await faulty.listJars().isEmpty)
        #expect(flink.effects.isEmpty)
        #expect(faulty.endpoint == flink.endpoint)
    }
}
