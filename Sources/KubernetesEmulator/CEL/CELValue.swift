import Foundation
import JSONCore

/// A CEL runtime value.
enum CELValue: Sendable, Equatable {
    /// Null.
    case null
    /// Bool.
    case bool(Bool)
    /// Int.
    case int(Int64)
    /// Uint.
    case uint(UInt64)
    /// Double.
    case double(Double)
    /// String.
    case string(String)
    /// List.
    case list([CELValue])
    /// Map.
    case map([String: CELValue])
    /// A `google.protobuf.Duration`, in seconds.
    case duration(Double)
    /// Timestamp.
    case timestamp(Double)

    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(CELValue.init))
        case .object(let o): self = .map(o.mapValues(CELValue.init))
        }
    }

    /// The type name.
    var typeName: String {
        switch self {
        case .null: "null_type"
        case .bool: "bool"
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        case .duration: "google.protobuf.Duration"
        case .timestamp: "google.protobuf.Timestamp"
        }
    }

    /// The number.
    var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        default: nil
        }
    }

    /// CEL equality (numbers compare across int, uint and double).
    func celEquals(_ other: CELValue) -> Bool {
        if let a = number, let b = other.number { return a == b }
        switch (self, other) {
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.celEquals($1) }
        case (.map(let a), .map(let b)):
            return a.count == b.count && a.allSatisfy { k, v in b[k].map { v.celEquals($0) } ?? false }
        default: return self == other
        }
    }
}
