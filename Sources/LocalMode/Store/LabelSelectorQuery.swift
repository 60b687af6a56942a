import Foundation

/// A label selector in query syntax (`app=x,tier!=db,env in (a,b),!legacy,team`), matched against labels.
///
/// The Kubernetes API server does this matching in Kubernetes mode; local mode parses `--label-selector` itself.
/// Supported requirements: `k=v`, `k==v`, `k!=v`, `k in (…)`, `k notin (…)`, `k` (exists), `!k` (does not exist).
public struct LabelSelectorQuery: Sendable, Hashable {
    enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    let requirements: [Requirement]

    /// Parses `text`; `nil` when it is not a selector.
    public init?(_ text: String) {
        var requirements: [Requirement] = []
        for part in Self.splitTopLevel(text) {
            let term = part.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            if let range = term.range(of: " notin ") ?? term.range(of: " in ") {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let rest = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty, rest.hasPrefix("("), rest.hasSuffix(")") else { return nil }
                let values = Set(rest.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                requirements.append(term[range].contains("notin") ? .notIn(key, values) : .isIn(key, values))
            } else if let range = term.range(of: "!=") {
                requirements.append(.notEquals(Self.trim(term[..<range.lowerBound]), Self.trim(term[range.upperBound...])))
            } else if let range = term.range(of: "==") ?? term.range(of: "=") {
                requirements.append(.equals(Self.trim(term[..<range.lowerBound]), Self.trim(term[range.upperBound...])))
            } else if term.hasPrefix("!") {
                requirements.append(.doesNotExist(Self.trim(term.dropFirst())))
            } else {
                requirements.append(.exists(term))
            }
        }
        self.requirements = requirements
    }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    private static func trim(_ text: Substring) -> String { text.trimmingCharacters(in: .whitespaces) }

    /// Splits at commas outside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }
}
