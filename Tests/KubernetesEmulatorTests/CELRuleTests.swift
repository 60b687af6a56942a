import Foundation
import JSONCore
@testable import KubernetesEmulator
import Testing

@Suite("CEL validation rules")
struct CELRuleTests {
    private static func evaluate(_ rule: String, _ value: JSONValue, old: JSONValue? = nil) throws -> CELValue {
        var variables: [String: CELValue] = ["self": CELValue(value)]
        if let old { variables["oldSelf"] = CELValue(old) }
        return try CELEvaluator(variables: variables).evaluate(try CELExpression(parsing: rule))
    }

    @Test func everyRuleOfTheProjectCRDsIsInTheSupportedSubset() throws {
        for file in ["crds/flinkjob.yaml", "crds/flinksessioncluster.yaml"] {
            let text = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            let rules = text.split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("- rule: ") else { return nil }
                let quoted = trimmed.dropFirst(8)
                return String(quoted.dropFirst().dropLast())
            }
            #expect(!rules.isEmpty)
            for rule in rules {
                #expect(throws: Never.self, "\(file): \(rule)") { _ = try CELExpression(parsing: rule) }
            }
        }
    }

    @Test func rulesEvaluateLikeCEL() throws {
        #expect(try Self.evaluate("self.type == 'Batch' || !has(self.batch)", ["type": "Streaming", "batch": ["maxRetries": 1]]) == .bool(false))
        #expect(try Self.evaluate("self.type == 'Batch' || !has(self.batch)", ["type": "Batch", "batch": .emptyObject]) == .bool(true))
        #expect(try Self.evaluate("[has(self.jar), has(self.python), has(self.sql)].filter(x, x).size() == 1", ["jar": .emptyObject]) == .bool(true))
        #expect(try Self.evaluate("self.all(k, !k.startsWith('taskmanager.'))", ["taskmanager.memory": "1g"]) == .bool(false))
        #expect(try Self.evaluate("self.matches('^sha256:[0-9a-f]{64}$')", .string("sha256:" + String(repeating: "a", count: 64))) == .bool(true))
        #expect(try Self.evaluate("!has(self.timeout) || duration(self.timeout) <= duration(self.interval)",
                                  ["timeout": "10m", "interval": "1m30s"]) == .bool(false))
        #expect(try Self.evaluate("self == oldSelf", "Batch", old: "Streaming") == .bool(false))
        #expect(try Self.evaluate("self.split(' ').size() == 5", "0 3 * * *") == .bool(true))
        #expect(try Self.evaluate("'a' in ['a', 'b'] ? 1 : 2", .null) == .int(1))
        // A missing field is an error unless the other side of || decides.
        #expect(throws: CELError.self) { try Self.evaluate("self.missing == 1", .emptyObject) }
        #expect(try Self.evaluate("self.missing == 1 || true", .emptyObject) == .bool(true))
    }

    @Test func theProjectCRDRulesRefuseInvalidFlinkJobs() async throws {
        let emulator = try await KubernetesEmulator.start()
        for file in ["crds/flinksessioncluster.yaml", "crds/flinkjob.yaml"] {
            try await emulator.installCRD(yaml: try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent(file), encoding: .utf8))
        }
        let jobs = GroupVersionResource(group: "flink.jobcontroller.io", version: "v1alpha1", resource: "flinkjobs")
        let two: JSONValue = ["apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob", "metadata": ["name": "two"],
                              "spec": ["artifact": ["jar": ["uri": "https://x/a.jar", "entryClass": "A"],
                                                    "sql": ["statements": ["SELECT 1"]]]]]
        let refused = emulator.perform("POST", jobs.path(namespace: "default"), body: two)
        #expect(refused.status == 422)
        #expect(refused.message.contains("spec.artifact must set exactly one of jar, python or sql"))
        var one = two
        one[path: ["spec", "artifact", "sql"]] = nil
        one[path: ["metadata", "name"]] = "one"
        #expect(emulator.perform("POST", jobs.path(namespace: "default"), body: one).status == 201)
        let flip = emulator.perform("PATCH", jobs.path(namespace: "default", name: "one"), body: ["spec": ["type": "Batch"]],
                                    contentType: "application/merge-patch+json")
        #expect(flip.status == 422)
        #expect(flip.message.contains("spec.type is immutable"))
        await emulator.stop()
    }
}
