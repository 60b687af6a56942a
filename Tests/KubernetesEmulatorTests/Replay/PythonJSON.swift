import JSONCore

/// Serialises JSON like Python's `json.dumps` with default separators (`", "`, `": "`), which is how the
/// recording tool sent request bodies; it matters where a server echoes the raw body (the missing-kind 400).
enum PythonJSON {
    static func string(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e16 ? String(format: "%.1f", d) : "\(d)"
        case .string(let s): return quote(s)
        case .array(let a): return "[" + a.map(string).joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { k in quote(k) + ": " + string(o[k] ?? .null) }.joined(separator: ", ") + "}"
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                    } else {
                        out += String(format: "\\u%04x", scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
