import Foundation
import Testing

/// Replays every recorded kube-apiserver exchange (`Conformance/*.json`) against a fresh emulator over HTTPS.
@Suite("Conformance replay")
struct ConformanceReplayTests {
    static let scenarios: [String] = (try? Transcript.scenarioNames()) ?? []

    @Test("the emulator answers like the recorded kube-apiserver", arguments: scenarios)
    func scenarioMatchesTheRecording(_ scenario: String) async throws {
        let result = try await ReplayRunner.run(scenario)
        print("[conformance] \(result.summary)")
        for step in result.failed {
            let details: String = Array(step.differences.prefix(12)).joined(separator: "\n  ")
            Issue.record("\(scenario) step \(step.index):\n  \(details)")
        }
        for problem in result.rankProblems { Issue.record("\(scenario): \(problem)") }
        #expect(result.failed.isEmpty)
        #expect(result.passedCount + result.exemptedCount == result.steps.count)
    }

    @Test("every transcript is replayed and every exemption names a real step")
    func exemptionsNameRealSteps() throws {
        #expect(Self.scenarios.count == 24)
        for (scenario, steps) in Exemptions.steps {
            let transcript = try Transcript.load(scenario)
            for index in steps.keys { #expect(transcript.steps.contains { $0.index == index }, "\(scenario) step \(index)") }
        }
    }
}
