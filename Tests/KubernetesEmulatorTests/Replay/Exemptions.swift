/// Transcript steps the replay runs but does not compare, with the reason.
///
/// Empty: since the emulator evaluates the CEL subset CRD rules use, the CEL steps of
/// `cel-and-schema-validation` (0, 1 and 12) are compared like every other step. The mechanism stays so that a
/// future transcript needing an unsupported feature is listed here explicitly rather than silently skipped.
enum Exemptions {
    static let steps: [String: [Int: String]] = [:]

    static func reason(scenario: String, step: Int) -> String? {
        steps[scenario]?[step]
    }
}
