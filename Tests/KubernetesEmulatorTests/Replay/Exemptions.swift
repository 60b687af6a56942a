/// Transcript steps the replay runs but does not compare, with the reason. Only CEL-dependent steps are exempt:
/// the emulator does not evaluate `x-kubernetes-validations` rules, so it accepts what those rules refuse.
enum Exemptions {
    static let steps: [String: [Int: String]] = [
        "cel-and-schema-validation": [
            0: "CEL rule `self.type == 'Batch' || !has(self.batch)` is not evaluated (real server: 422 on spec)",
            1: "CEL rule evaluated after defaulting is not evaluated (real server: 422 on spec)",
            12: "an update breaking the CEL rule is not refused (real server: 422 on spec)",
        ],
    ]

    static func reason(scenario: String, step: Int) -> String? {
        steps[scenario]?[step]
    }
}
