import Foundation
import JSONCore

/// The Go type of a built-in API field: how a kube-apiserver decodes it (and which JSON it refuses), and how it
/// encodes it back (struct field order, `omitempty`, zero values).
indirect enum GoType: Sendable {
    /// String.
    case string
    /// Int32.
    case int32
    /// Int64.
    case int64
    /// Bool.
    case bool
    /// `metav1.Time` (RFC 3339, whole seconds).
    case time
    /// `metav1.MicroTime` (RFC 3339 with exactly six fractional digits).
    case microTime
    /// `[]byte` (base64 in JSON).
    case bytes
    /// A struct with ordered fields.
    case object(GoStruct)
    /// `map[string]T`.
    case map(GoType)
    /// `[]T`.
    case array(GoType)
    /// Free-form JSON (`runtime.RawExtension`, `apiextensionsv1.JSON`, schema props).
    case raw

    /// The Go type name used in `cannot unmarshal … of type X`.
    var goName: String {
        switch self {
        case .string: "string"
        case .int32: "int32"
        case .int64: "int64"
        case .bool: "bool"
        case .time, .microTime: "string"
        case .bytes: "[]uint8"
        case .object(let s): s.qualifiedName
        case .map(let t): "map[string]\(t.goName)"
        case .array(let t): "[]\(t.goName)"
        case .raw: "interface {}"
        }
    }
}

extension GoType {
    /// Decodes `value` like `encoding/json` into this type would.
    ///
    /// - Throws: `GoDecodeError` with the message Go would produce.
    func decode(_ value: JSONValue) throws(GoDecodeError) -> GoDecodeResult {
        var unknown: [String] = []
        let decoded = try decode(value, path: [], structName: nil, unknown: &unknown)
        return GoDecodeResult(value: decoded ?? .null, unknownFields: unknown.sorted())
    }

    private static func jsonKind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "bool"
        case .integer(let i): "number \(i)"
        case .double(let d): "number \(GoJSONWriter.formatDouble(d))"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private func mismatch(_ v: JSONValue, path: [String], structName: String?) -> GoDecodeError {
        if let structName, !path.isEmpty {
            return GoDecodeError(message: "json: cannot unmarshal \(Self.jsonKind(v)) into Go struct field \(structName).\(path.joined(separator: ".")) of type \(goName)")
        }
        return GoDecodeError(message: "json: cannot unmarshal \(Self.jsonKind(v)) into Go value of type \(goName)")
    }

    private func decode(_ value: JSONValue, path: [String], structName: String?, unknown: inout [String]) throws(GoDecodeError) -> JSONValue? {
        if value.isNull { return nil }
        switch self {
        case .raw:
            return value
        case .string:
            guard case .string = value else { throw mismatch(value, path: path, structName: structName) }
            return value
        case .bool:
            guard case .bool = value else { throw mismatch(value, path: path, structName: structName) }
            return value
        case .int32, .int64:
            guard let i = value.integerValue, case .integer = value else {
                throw mismatch(value, path: path, structName: structName)
            }
            if case .int32 = self, i < Int64(Int32.min) || i > Int64(Int32.max) {
                throw mismatch(value, path: path, structName: structName)
            }
            return .integer(i)
        case .bytes:
            guard case .string(let s) = value else { throw mismatch(value, path: path, structName: structName) }
            guard Data(base64Encoded: s) != nil else {
                throw GoDecodeError(message: "illegal base64 data at input byte \(Self.firstBadBase64Byte(s))")
            }
            return value
        case .time, .microTime:
            guard case .string(let s) = value else {
                throw GoDecodeError(message: "json: cannot unmarshal \(Self.jsonKind(value)) into Go value of type string")
            }
            let layout: GoTime.Layout = if case .time = self { .rfc3339 } else { .rfc3339Micro }
            switch GoTime.parse(s, layout: layout) {
            case .success(let instant):
                return .string(layout == .rfc3339 ? GoTime.formatSeconds(instant) : GoTime.formatMicro(instant))
            case .failure(let failure):
                throw GoDecodeError(message: failure.message)
            }
        case .array(let element):
            guard case .array(let items) = value else { throw mismatch(value, path: path, structName: structName) }
            var out: [JSONValue] = []
            for (index, item) in items.enumerated() {
                let decoded = try element.decode(item, path: path, structName: structName, unknown: &unknown, index: index)
                out.append(decoded ?? element.zeroValue)
            }
            return .array(out)
        case .map(let element):
            guard case .object(let members) = value else { throw mismatch(value, path: path, structName: structName) }
            var out: [String: JSONValue] = [:]
            for (k, v) in members {
                out[k] = try element.decode(v, path: path + [k], structName: structName, unknown: &unknown) ?? element.zeroValue
            }
            return .object(out)
        case .object(let s):
            guard case .object(let members) = value else { throw mismatch(value, path: path, structName: structName) }
            var out: [String: JSONValue] = [:]
            for (k, v) in members {
                if let field = s.field(k) {
                    if let decoded = try field.type.decode(v, path: path + [k], structName: s.name, unknown: &unknown) {
                        out[k] = decoded
                    }
                } else if s.preservesUnknown {
                    out[k] = v
                } else {
                    unknown.append((path + [k]).joined(separator: "."))
                }
            }
            return .object(out)
        }
    }

    private func decode(_ value: JSONValue, path: [String], structName: String?, unknown: inout [String], index: Int) throws(GoDecodeError) -> JSONValue? {
        var inner: [String] = []
        let result = try decode(value, path: path, structName: structName, unknown: &inner)
        // Unknown members inside list items are reported with the item index, like Kubernetes does.
        let prefix = path.joined(separator: ".")
        unknown += inner.map { p in
            p.hasPrefix(prefix) ? prefix + "[\(index)]" + p.dropFirst(prefix.count) : p
        }
        return result
    }

    private static func firstBadBase64Byte(_ s: String) -> Int {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        for (i, c) in s.enumerated() where !allowed.contains(c) { return i }
        return max(0, s.count - (s.count % 4 == 0 ? 0 : s.count % 4))
    }

    /// The zero value Go encodes for a field that is not `omitempty`.
    var zeroValue: JSONValue {
        switch self {
        case .string, .bytes: ""
        case .int32, .int64: 0
        case .bool: false
        case .time, .microTime: .null
        case .object: .emptyObject
        case .map, .array, .raw: .null
        }
    }

    /// Encodes a decoded value as Go would: fills non-`omitempty` fields with zero values and drops empty
    /// `omitempty` ones.
    func encode(_ value: JSONValue) -> JSONValue {
        switch self {
        case .object(let s):
            guard case .object(let members) = value else { return value }
            var out: [String: JSONValue] = [:]
            for field in s.fields {
                if let v = members[field.name], !v.isNull {
                    let encoded = field.type.encode(v)
                    if field.omitEmpty && !field.pointer && Self.isEmpty(encoded, type: field.type) { continue }
                    out[field.name] = encoded
                } else if !field.omitEmpty || (!field.pointer && field.type.isStructValue) {
                    out[field.name] = field.type.zeroValue
                }
            }
            if s.preservesUnknown {
                for (k, v) in members where s.field(k) == nil { out[k] = v }
            }
            return .object(out)
        case .array(let element):
            guard case .array(let items) = value else { return value }
            return .array(items.map { element.encode($0) })
        case .map(let element):
            guard case .object(let members) = value else { return value }
            return .object(members.mapValues { element.encode($0) })
        default:
            return value
        }
    }

    /// Structs are never "empty" for `omitempty` in Go: they are always encoded.
    var isStructValue: Bool {
        switch self {
        case .object, .time, .microTime: true
        default: false
        }
    }

    private static func isEmpty(_ v: JSONValue, type: GoType) -> Bool {
        if case .object = type { return false }
        switch v {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .integer(let i): return i == 0
        case .double(let d): return d == 0
        case .bool(let b): return !b
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        }
    }

    /// The preferred key order of the object at `path` (keys from this type's root), for `GoJSONWriter`.
    func keyOrder(at path: [String]) -> [String]? {
        var current = self
        for key in path {
            switch current {
            case .object(let s):
                guard let f = s.field(key) else { return nil }
                current = f.type
            case .array(let e) where key == "[]":
                current = e
            case .map(let e):
                current = e
            default:
                return nil
            }
        }
        if case .object(let s) = current { return s.fields.map(\.name) }
        return nil
    }
}
