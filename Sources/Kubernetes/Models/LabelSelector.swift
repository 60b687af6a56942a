/// `metav1.LabelSelector`: `matchLabels` and `matchExpressions`, all of which must hold (AND).
public struct LabelSelector: Sendable, Hashable, Codable {
    /// One set-based requirement (`key In (a,b)`, `key Exists`, …).
    public struct Requirement: Sendable, Hashable, Codable {
        /// The requirement's operator.
        public enum Operator: String, Sendable, Hashable, Codable {
            case `in` = "In"
            case notIn = "NotIn"
            case exists = "Exists"
            case doesNotExist = "DoesNotExist"
        }

        /// The label key.
        public var key: String
        /// How the key's value is tested.
        public var `operator`: Operator
        /// The values for `In`/`NotIn`; empty for `Exists`/`DoesNotExist`.
        public var values: [String]?

        /// A requirement with the given values.
        public init(key: String, operator: Operator, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    /// Labels that must be present with exactly these values.
    public var matchLabels: [String: String]?
    /// Set-based requirements.
    public var matchExpressions: [Requirement]?

    /// A selector with the given parts; an empty selector matches everything.
    public init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Whether a set of labels satisfies every part of the selector.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels ?? [:] where labels[key] != value {
            return false
        }
        for requirement in matchExpressions ?? [] {
            let values = requirement.values ?? []
            switch requirement.operator {
            case .in:
                guard let value = labels[requirement.key], values.contains(value) else { return false }
            case .notIn:
                if let value = labels[requirement.key], values.contains(value) { return false }
            case .exists:
                if labels[requirement.key] == nil { return false }
            case .doesNotExist:
                if labels[requirement.key] != nil { return false }
            }
        }
        return true
    }

    /// The selector in the query syntax of `labelSelector=` (`a=b,env in (dev,prod),!legacy`).
    ///
    /// Parts are sorted so the text is stable.
    public var queryString: String {
        var parts = (matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for requirement in matchExpressions ?? [] {
            let values = (requirement.values ?? []).sorted().joined(separator: ",")
            switch requirement.operator {
            case .in: parts.append("\(requirement.key) in (\(values))")
            case .notIn: parts.append("\(requirement.key) notin (\(values))")
            case .exists: parts.append(requirement.key)
            case .doesNotExist: parts.append("!\(requirement.key)")
            }
        }
        return parts.joined(separator: ",")
    }
}
