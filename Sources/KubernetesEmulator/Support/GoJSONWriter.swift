import Foundation
import JSONCore

/// Serialises `JSONValue`s the way a Go kube-apiserver does: Go's string escaping, and object keys either in the
/// Go struct-field order of a built-in kind or sorted (what `map[string]interface{}` produces).
///
/// Key order never matters to clients; it matters where a real server embeds serialised JSON inside an error
/// message (e.g. the patched object in a 422 for an undecodable merge patch), which must match byte for byte.
struct GoJSONWriter {
    /// Gives, for an object at a path (keys from the document root), the preferred order of its keys;
    /// keys not listed follow in sorted order. `nil` means "sort all keys".
    var keyOrder: @Sendable ([String]) -> [String]?

    /// A writer that sorts every object's keys.
    static let sorted = GoJSONWriter(keyOrder: { _ in nil })

    /// The compact JSON text of `value`.
    func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, path: [], into: &out)
        return out
    }

    /// The compact JSON bytes of `value`.
    func data(_ value: JSONValue) -> Data {
        Data(string(value).utf8)
    }

    /// Writes `value`; objects touched by `patch` (a merge patch) are re-sorted, untouched ones keep this writer's
    /// order — mirroring how a merge patch re-serialises only the parts of a document it visits.
    func stringApplyingOrder(of value: JSONValue, touchedBy patch: JSONValue) -> String {
        var out = ""
        writeTouched(value, patch: patch, path: [], into: &out)
        return out
    }

    private func writeTouched(_ value: JSONValue, patch: JSONValue?, path: [String], into out: inout String) {
        guard case .object(let members) = value else {
            if patch != nil { GoJSONWriter.sorted.write(value, path: path, into: &out) } else { write(value, path: path, into: &out) }
            return
        }
        guard let patch, case .object(let patchMembers) = patch else {
            if patch != nil {
                GoJSONWriter.sorted.write(value, path: path, into: &out)
            } else {
                write(value, path: path, into: &out)
            }
            return
        }
        out.append("{")
        var first = true
        for key in members.keys.sorted() {
            guard let child = members[key] else { continue }
            if !first { out.append(",") }
            first = false
            Self.writeString(key, into: &out)
            out.append(":")
            writeTouched(child, patch: patchMembers[key], path: path + [key], into: &out)
        }
        out.append("}")
    }

    private func write(_ value: JSONValue, path: [String], into out: inout String) {
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .integer(let i): out.append(String(i))
        case .double(let d): out.append(Self.formatDouble(d))
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let elements):
            out.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(",") }
                write(element, path: path + ["[]"], into: &out)
            }
            out.append("]")
        case .object(let members):
            out.append("{")
            var first = true
            for key in orderedKeys(members, path: path) {
                guard let child = members[key] else { continue }
                if !first { out.append(",") }
                first = false
                Self.writeString(key, into: &out)
                out.append(":")
                write(child, path: path + [key], into: &out)
            }
            out.append("}")
        }
    }

    private func orderedKeys(_ members: [String: JSONValue], path: [String]) -> [String] {
        guard let preferred = keyOrder(path) else { return members.keys.sorted() }
        let listed = preferred.filter { members[$0] != nil }
        let listedSet = Set(listed)
        return listed + members.keys.filter { !listedSet.contains($0) }.sorted()
    }

    /// Formats a double like Go's `strconv.FormatFloat(f, 'g'-ish)` as encoding/json does for float64.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d.rounded() == d && abs(d) < 1e21 { return String(format: "%.0f", d) }
        var text = "\(d)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Appends `s` as a JSON string with Go's escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes).
    static func writeString(_ s: String, into out: inout String) {
        out.append("\"")
        // Most strings need no escape: copy them whole. (0xE2 leads U+2028 and U+2029 in UTF-8.)
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) {
            out.append(s)
            out.append("\"")
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "<": out.append("\\u003c")
            case ">": out.append("\\u003e")
            case "&": out.append("\\u0026")
            case "\u{2028}": out.append("\\u2028")
            case "\u{2029}": out.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    out.append(String(format: "\\u%04x", scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// Go's `%q` formatting of a string (used by Kubernetes field errors for values).
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{07}": out.append("\\a")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            case "\u{0B}": out.append("\\v")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out.append(String(format: "\\x%02x", scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
        return out
    }
}
