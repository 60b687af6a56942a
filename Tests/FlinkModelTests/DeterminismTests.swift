import FlinkModel
import FlinkREST
import Foundation
import Testing

@Suite struct DeterminismTests {
    /// A history touching every source of ids and times: uploads, generated job and trigger ids, checkpoints,
    /// savepoints, a rescale, failures, a JobManager restart, disposals.
    static func script(_ flink: InMemoryFlink) async -> [String] {
        var answers: [String] = []
        func note(_ value: Any) { answers.append("\(value)") }
        // Typed answers as JSON with sorted keys: a dictionary's description (e.g. `JobDetails.timestamps`) lists
        // its keys in an order that differs between two equal dictionaries.
        func note<Value: Encodable>(_ value: Value) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            answers.append((try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)")
        }
        do {
            let jar = try await flink.uploadedJar()
            let a = try await flink.runJar(jar, .streaming("ns/a", parallelism: 2))
            let b = try await flink.runJar(jar, .streaming("ns/b", jobID: .fixture("b")))
            flink.advance(by: .seconds(25))
            let trigger = try await flink.triggerSavepoint(of: a, targetDirectory: nil, cancelJob: false, formatType: nil, triggerID: nil)
            flink.advance(by: .seconds(1))
            note(try await flink.savepointStatus(of: a, trigger: trigger))
            let requirements = try await flink.resourceRequirements(of: a)
            try await flink.updateResourceRequirements(of: a, requirements.withAllVertices(lowerBound: 1, upperBound: 3))
            flink.failTasks(of: b, message: "boom")
            flink.advance(by: .seconds(12))
            let stop = try await flink.stopWithSavepoint(b, targetDirectory: nil, drain: false, formatType: nil, triggerID: nil)
            note(try await flink.awaitSavepoint(b, stop))
            note(try await flink.jobsOverview())
            note(try await flink.jobDetails(a))
            note(try await flink.checkpointStatistics(a))
            flink.restartJobManager(keepJars: false)
            let second = try await flink.uploadedJar()
            let c = try await flink.runJar(second, .streaming("ns/a"))
            _ = try await flink.disposeSavepoint(at: flink.storagePaths[0])
            flink.advance(by: .seconds(11))
            note(try await flink.jobDetails(c))
            note(try await flink.listJars())
        } catch {
            note("SCRIPT FAILED: \(error)")
        }
        note(flink.history)
        note(flink.storagePaths)
        return answers
    }

    @Test func twoModelsWithTheSameSeedAndCallsAnswerIdentically() async {
        let first = await Self.script(InMemoryFlink.fixture(scheduler: .adaptive, seed: 42))
        let second = await Self.script(InMemoryFlink.fixture(scheduler: .adaptive, seed: 42))
        #expect(first == second)
        #expect(!first.contains { $0.hasPrefix("SCRIPT FAILED") }, "\(first)")
    }

    @Test func anotherSeedGivesOtherIds() async {
        let first = await Self.script(InMemoryFlink.fixture(scheduler: .adaptive, seed: 1))
        let second = await Self.script(InMemoryFlink.fixture(scheduler: .adaptive, seed: 2))
        #expect(first != second)
    }

    @Test func theSeededGeneratorIsStable() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        var same = SeededGenerator(seed: 0)
        _ = same.next()
        #expect(generator.next() == same.next())
    }
}
