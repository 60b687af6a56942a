import Foundation
import JSONCore

/// Compares a recorded (normalised) value with what the emulator answered, the way the transcripts' README
/// normalises: `<uid>` and `<time>` stand for any server value, `<rv:N>` and `<continue:N>` must map one-to-one
/// onto real values (learned as the replay goes, and used to fill later requests).
struct PlaceholderMatcher {
    /// Real resourceVersions by placeholder number, and the reverse.
    var revisions: [Int: String] = [:]
    var revisionNumbers: [String: Int] = [:]
    var continueTokens: [Int: String] = [:]
    /// The most recent uid and creationTimestamp seen per object name (to fill `<uid>`/`<time>` in requests).
    var uidByName: [String: String] = [:]
    var timeByName: [String: String] = [:]
    var lastUID: String?
    var lastTime: String?

    /// Differences found by the last `compare` (path: expected vs actual).
    var differences: [String] = []

    private static let placeholder = NSRegularExpression.placeholders

    /// Compares; records bindings and differences. Returns whether they match.
    mutating func compare(_ expected: JSONValue, _ actual: JSONValue?, path: String = "") -> Bool {
        differences = []
        walk(expected, actual, path: path.isEmpty ? "$" : path)
        return differences.isEmpty
    }

    private mutating func walk(_ expected: JSONValue, _ actual: JSONValue?, path: String) {
        switch expected {
        case .object(let e):
            guard case .object(let a)? = actual else {
                differences.append("\(path): expected an object, got \(actual.map { "\($0)" } ?? "nothing")")
                return
            }
            for key in Set(e.keys).union(a.keys).sorted() {
                guard let ev = e[key] else {
                    differences.append("\(path).\(key): unexpected member \(a[key].map { "\($0)" } ?? "")")
                    continue
                }
                walk(ev, a[key], path: "\(path).\(key)")
            }
            if let name = a["name"]?.stringValue {
                if let uid = a["uid"]?.stringValue, e["uid"]?.stringValue == "<uid>" { uidByName[name] = uid; lastUID = uid }
                if let t = a["creationTimestamp"]?.stringValue { timeByName[name] = t; lastTime = t }
            }
        case .array(let e):
            guard case .array(let a)? = actual else {
                differences.append("\(path): expected an array, got \(actual.map { "\($0)" } ?? "nothing")")
                return
            }
            if e.count != a.count { differences.append("\(path): expected \(e.count) elements, got \(a.count)") }
            for i in 0..<min(e.count, a.count) { walk(e[i], a[i], path: "\(path)[\(i)]") }
        case .string(let s) where s.contains("<"):
            guard case .string(let actualText)? = actual else {
                differences.append("\(path): expected \(s), got \(actual.map { "\($0)" } ?? "nothing")")
                return
            }
            if !matchString(s, actualText) {
                differences.append("\(path): expected \(s), got \(actualText)")
            }
        default:
            if expected != actual {
                differences.append("\(path): expected \(expected), got \(actual.map { "\($0)" } ?? "nothing")")
            }
        }
    }

    /// Matches a recorded string containing placeholders against an actual string, binding what it can.
    mutating func matchString(_ expected: String, _ actual: String) -> Bool {
        let ns = expected as NSString
        guard let placeholder = Self.placeholder else { return false }
        let matches = placeholder.matches(in: expected, range: NSRange(location: 0, length: ns.length))
        if matches.isEmpty { return expected == actual }
        var pattern = "^"
        var last = 0
        var kinds: [(String, Int?)] = []
        for m in matches {
            pattern += NSRegularExpression.escapedPattern(for: ns.substring(with: NSRange(location: last, length: m.range.location - last)))
            let token = ns.substring(with: m.range)
            if token == "<uid>" {
                pattern += "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
                kinds.append(("uid", nil))
            } else if token == "<time>" {
                pattern += "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z)"
                kinds.append(("time", nil))
            } else {
                let kind = ns.substring(with: m.range(at: 1))
                let n = Int(ns.substring(with: m.range(at: 2))) ?? -1
                pattern += kind == "rv" ? "([0-9]+)" : "([A-Za-z0-9_=-]+)"
                kinds.append((kind, n))
            }
            last = m.range.location + m.range.length
        }
        pattern += NSRegularExpression.escapedPattern(for: ns.substring(from: last)) + "$"
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return false }
        let a = actual as NSString
        guard let match = regex.firstMatch(in: actual, range: NSRange(location: 0, length: a.length)) else { return false }
        for (i, (kind, n)) in kinds.enumerated() {
            let value = a.substring(with: match.range(at: i + 1))
            switch kind {
            case "rv":
                guard let n else { continue }
                if let bound = revisions[n], bound != value { return false }
                if let other = revisionNumbers[value], other != n { return false }
                revisions[n] = value
                revisionNumbers[value] = n
            case "continue":
                guard let n else { continue }
                if let bound = continueTokens[n], bound != value { return false }
                // Numbered by first appearance: a token already seen under another number is a mismatch.
                if continueTokens.contains(where: { $0.key != n && $0.value == value }) { return false }
                continueTokens[n] = value
            default:
                break
            }
        }
        return true
    }

    /// Replaces placeholders in a request value with real values.
    func fill(_ value: JSONValue, siblingName: String? = nil) throws -> JSONValue {
        switch value {
        case .object(let o):
            let name = o["name"]?.stringValue
            var out: [String: JSONValue] = [:]
            for (k, v) in o { out[k] = try fill(v, siblingName: name) }
            return .object(out)
        case .array(let a):
            return .array(try a.map { try fill($0, siblingName: siblingName) })
        case .string(let s):
            return .string(try fill(s, name: siblingName))
        default:
            return value
        }
    }

    func fill(_ text: String, name: String? = nil) throws -> String {
        var result = text as NSString
        let ns = text as NSString
        guard let placeholder = Self.placeholder else { return text }
        for m in placeholder.matches(in: text, range: NSRange(location: 0, length: ns.length)).reversed() {
            let token = ns.substring(with: m.range)
            let replacement: String
            switch token {
            case "<uid>":
                guard let uid = name.flatMap({ uidByName[$0] }) ?? lastUID else { throw ReplayError.unboundPlaceholder(token) }
                replacement = uid
            case "<time>":
                guard let t = name.flatMap({ timeByName[$0] }) ?? lastTime else { throw ReplayError.unboundPlaceholder(token) }
                replacement = t
            default:
                let kind = ns.substring(with: m.range(at: 1))
                let n = Int(ns.substring(with: m.range(at: 2))) ?? -1
                guard let v = kind == "rv" ? revisions[n] : continueTokens[n] else { throw ReplayError.unboundPlaceholder(token) }
                replacement = v
            }
            result = result.replacingCharacters(in: m.range, with: replacement) as NSString
        }
        return result as String
    }

    /// Checks the README's rank rule: `<rv:N>` must be the N-th smallest of the scenario's distinct real values.
    func rankViolations() -> [String] {
        let numbers = revisions.keys.sorted()
        guard !numbers.isEmpty else { return [] }
        var problems: [String] = []
        if numbers != Array(1...numbers.count) {
            problems.append("resourceVersion placeholders bound: \(numbers), not 1...\(numbers.count)")
        }
        let ranked = Set(revisions.values.compactMap { Int64($0) }).sorted()
        for n in numbers {
            guard let text = revisions[n], let value = Int64(text), let rank = ranked.firstIndex(of: value) else { continue }
            if rank + 1 != n { problems.append("<rv:\(n)> is \(text), whose rank among the real values is \(rank + 1)") }
        }
        return problems
    }
}

extension NSRegularExpression {
    /// The transcripts' placeholders: `<rv:N>`, `<continue:N>`, `<uid>`, `<time>`.
    static var placeholders: NSRegularExpression? { try? NSRegularExpression(pattern: "<(rv|continue):(\\d+)>|<uid>|<time>") }
}
