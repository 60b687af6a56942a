import FlinkREST
import Synchronization
import Testing

private final class Trace: Sendable {
    let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// Python submissions run alone per cluster; jar submissions overlap; first come, first served.
struct SubmissionGateTests {
    private func until(_ condition: () async -> Bool) async {
        for _ in 0..<1000 where !(await condition()) { try? await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func jarRunsOverlapAPythonRunWaitsForThemAndLaterRunsWaitForIt() async {
        let gate = SubmissionGate()
        let trace = Trace()
        let (finishA, releaseA) = AsyncStream.makeStream(of: Void.self)

        let a = Task {
            await gate.withPermit(exclusive: false) {
                trace.add("A in")
                for await _ in finishA { break }
                trace.add("A out")
            }
        }
        await until { trace.all == ["A in"] }
        // A second jar run does not wait for the first.
        await gate.withPermit(exclusive: false) { trace.add("B") }
        #expect(trace.all == ["A in", "B"])

        // A Python run waits for A; a jar run arriving after it waits behind it.
        let python = Task { await gate.withPermit(exclusive: true) { trace.add("Python in"); trace.add("Python out") } }
        await until { await gate.snapshot.waiting == 1 }
        let c = Task { await gate.withPermit(exclusive: false) { trace.add("C") } }
        await until { await gate.snapshot.waiting == 2 }
        #expect(trace.all == ["A in", "B"])

        releaseA.yield()
        await a.value
        await python.value
        await c.value
        #expect(trace.all == ["A in", "B", "A out", "Python in", "Python out", "C"])
        let idle = await gate.snapshot
        #expect(idle.shared == 0 && !idle.exclusive && idle.waiting == 0)
    }

    @Test func aFailingRunReleasesTheGate() async {
        struct Refused: Error {}
        let gate = SubmissionGate()
        await #expect(throws: Refused.self) {
            try await gate.withPermit(exclusive: true) { () async throws(Refused) in throw Refused() }
        }
        let state = await gate.snapshot
        #expect(!state.exclusive && state.shared == 0)
        await gate.withPermit(exclusive: true) {}
    }

    @Test func eachClusterHasItsOwnGate() async {
        let gates = SubmissionGates()
        let first = await gates.gate(for: "a")
        #expect(await gates.gate(for: "a") === first)
        #expect(await gates.gate(for: "b") !== first)
    }
}
