/// A field selector; custom resources and most kinds support only `metadata.name` and `metadata.namespace`.
struct FieldSelector: Sendable, Equatable {
    /// One requirement.
    struct Requirement: Sendable, Equatable {
        /// The field.
        var field: String
        /// The value.
        var value: String
        /// The negated.
        var negated: Bool
    }

    /// The requirements.
    var requirements: [Requirement]

    /// The is empty.
    var isEmpty: Bool { requirements.isEmpty }

    /// The single `metadata.name=x` requirement, if the selector is exactly that.
    var exactName: String? {
        guard requirements.count == 1, let r = requirements.first, r.field == "metadata.name", !r.negated else { return nil }
        return r.value
    }

    /// A selector of these requirements.
    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses a field selector; only `supported` fields may be used.
    init(parsing text: String, supported: Set<String>) throws(SelectorError) {
        var reqs: [Requirement] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let p = String(part)
            let requirement: Requirement
            if let r = p.range(of: "!=") {
                requirement = Requirement(field: String(p[..<r.lowerBound]), value: String(p[r.upperBound...]), negated: true)
            } else if let r = p.range(of: "==") {
                requirement = Requirement(field: String(p[..<r.lowerBound]), value: String(p[r.upperBound...]), negated: false)
            } else if let r = p.range(of: "=") {
                requirement = Requirement(field: String(p[..<r.lowerBound]), value: String(p[r.upperBound...]), negated: false)
            } else {
                throw SelectorError(message: "invalid selector: '\(text)'; can't understand '\(p)'", raw: true)
            }
            guard supported.contains(requirement.field) else {
                throw SelectorError(message: "field label not supported: \(requirement.field)", raw: true)
            }
            reqs.append(requirement)
        }
        requirements = reqs
    }

    /// Whether every requirement holds for the object fields.
    func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            let v = fields[r.field] ?? ""
            return r.negated ? v != r.value : v == r.value
        }
    }
}
