import Foundation
import JSONCore

/// Decoding of `application/vnd.kubernetes.protobuf` request bodies for the built-in kinds kubectl's typed
/// clients send that way (`kubectl create namespace|secret|configmap`), into the JSON form the rest of the server
/// handles.
///
/// The body is Kubernetes' envelope: the magic `k8s\0`, then a `runtime.Unknown` message (1: TypeMeta with
/// 1: apiVersion, 2: kind; 2: raw, the object's message). Field numbers are those of the kinds' `generated.proto`;
/// a struct without a table here is refused like a kind the server cannot decode from protobuf.
enum KubernetesProtobuf {
    /// Why a body could not be decoded.
    struct DecodeError: Error, Sendable {
        /// The message.
        var message: String
    }

    /// The four bytes every Kubernetes protobuf body starts with.
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// Field numbers per Go struct name (`generated.proto` of k8s.io/api and apimachinery).
    static let fieldNumbers: [String: [Int: String]] = [
        "ObjectMeta": [1: "name", 2: "generateName", 3: "namespace", 4: "selfLink", 5: "uid", 6: "resourceVersion",
                       7: "generation", 8: "creationTimestamp", 9: "deletionTimestamp", 10: "deletionGracePeriodSeconds",
                       11: "labels", 12: "annotations", 13: "ownerReferences", 14: "finalizers", 17: "managedFields"],
        "OwnerReference": [1: "kind", 3: "name", 4: "uid", 5: "apiVersion", 6: "controller", 7: "blockOwnerDeletion"],
        "ManagedFieldsEntry": [1: "manager", 2: "operation", 3: "apiVersion", 4: "time", 6: "fieldsType", 8: "subresource"],
        "Namespace": [1: "metadata", 2: "spec", 3: "status"],
        "NamespaceSpec": [1: "finalizers"],
        "NamespaceStatus": [1: "phase"],
        "Secret": [1: "metadata", 2: "data", 3: "type", 4: "stringData", 5: "immutable"],
        "ConfigMap": [1: "metadata", 2: "data", 3: "binaryData", 4: "immutable"],
        "Lease": [1: "metadata", 2: "spec"],
        "LeaseSpec": [1: "holderIdentity", 2: "leaseDurationSeconds", 3: "acquireTime", 4: "renewTime",
                      5: "leaseTransitions", 6: "strategy", 7: "preferredHolder"],
    ]

    /// Whether bodies of `type` can be decoded.
    static func supports(_ type: GoType) -> Bool {
        if case .object(let s) = type { return fieldNumbers[s.name] != nil }
        return false
    }

    /// Decodes an enveloped body into the object's JSON form, with `apiVersion` and `kind` from the envelope.
    static func decode(_ data: Data, as type: GoType) throws(DecodeError) -> JSONValue {
        let bytes = Array(data)
        guard bytes.count >= 4, Array(bytes.prefix(4)) == magic else {
            throw DecodeError(message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        var envelope = Reader(bytes: bytes[4...])
        while let field = try envelope.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let typeMeta)):
                var meta = Reader(bytes: typeMeta)
                while let f = try meta.next() {
                    if case .bytes(let text) = f.value {
                        if f.number == 1 { apiVersion = String(decoding: text, as: UTF8.self) }
                        if f.number == 2 { kind = String(decoding: text, as: UTF8.self) }
                    }
                }
            case (2, .bytes(let object)):
                raw = object
            default:
                continue
            }
        }
        var object = try message(raw, type)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return object
    }

    private static func message(_ bytes: ArraySlice<UInt8>, _ type: GoType) throws(DecodeError) -> JSONValue {
        guard case .object(let s) = type else { return .null }
        let numbers = fieldNumbers[s.name] ?? [:]
        var out: [String: JSONValue] = [:]
        var reader = Reader(bytes: bytes)
        while let field = try reader.next() {
            guard let name = numbers[field.number], let goField = s.field(name) else { continue }
            switch goField.type {
            case .array(let element):
                var items = out[name]?.arrayValue ?? []
                items.append(try scalar(field.value, element))
                out[name] = .array(items)
            case .map(let element):
                guard case .bytes(let entry) = field.value else { throw DecodeError(message: "map entry of \(name) is not a message") }
                var key = ""
                var value: JSONValue = element.zeroValue
                var entryReader = Reader(bytes: entry)
                while let f = try entryReader.next() {
                    if f.number == 1, case .bytes(let k) = f.value { key = String(decoding: k, as: UTF8.self) }
                    if f.number == 2 { value = try scalar(f.value, element) }
                }
                var members = out[name]?.objectValue ?? [:]
                members[key] = value
                out[name] = .object(members)
            default:
                out[name] = try scalar(field.value, goField.type)
            }
        }
        return .object(out)
    }

    private static func scalar(_ value: Reader.Value, _ type: GoType) throws(DecodeError) -> JSONValue {
        switch (type, value) {
        case (.string, .bytes(let b)): return .string(String(decoding: b, as: UTF8.self))
        case (.bytes, .bytes(let b)): return .string(Data(b).base64EncodedString())
        case (.bool, .varint(let v)): return .bool(v != 0)
        case (.int32, .varint(let v)): return .integer(Int64(Int32(truncatingIfNeeded: v)))
        case (.int64, .varint(let v)): return .integer(Int64(bitPattern: v))
        case (.time, .bytes(let b)), (.microTime, .bytes(let b)):
            var seconds: Int64 = 0
            var nanos = 0
            var reader = Reader(bytes: b)
            while let f = try reader.next() {
                if f.number == 1, case .varint(let v) = f.value { seconds = Int64(bitPattern: v) }
                if f.number == 2, case .varint(let v) = f.value { nanos = Int(Int32(truncatingIfNeeded: v)) }
            }
            let instant = GoTime.Instant(seconds: seconds, nanoseconds: nanos)
            if case .time = type { return .string(GoTime.formatSeconds(instant)) }
            return .string(GoTime.formatMicro(instant))
        case (.object, .bytes(let b)): return try message(b, type)
        case (.raw, _): return .null
        default: throw DecodeError(message: "unexpected wire type for a \(type.goName)")
        }
    }

    /// Reads protobuf wire-format fields.
    struct Reader {
        /// A field's value by wire type.
        enum Value {
            /// Varint.
            case varint(UInt64)
            /// Length-delimited.
            case bytes(ArraySlice<UInt8>)
            /// Fixed 64 or 32 bits (unused by these kinds).
            case fixed(UInt64)
        }

        var bytes: ArraySlice<UInt8>

        mutating func varint() throws(DecodeError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = bytes.first {
                bytes = bytes.dropFirst()
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
                if shift > 63 { break }
            }
            throw DecodeError(message: "proto: bad varint")
        }

        /// The next field, `nil` at the end.
        mutating func next() throws(DecodeError) -> (number: Int, value: Value)? {
            guard !bytes.isEmpty else { return nil }
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: return (number, .varint(try varint()))
            case 2:
                let length = Int(try varint())
                guard length >= 0, bytes.count >= length else { throw DecodeError(message: "proto: unexpected EOF") }
                let value = bytes.prefix(length)
                bytes = bytes.dropFirst(length)
                return (number, .bytes(value))
            case 1:
                guard bytes.count >= 8 else { throw DecodeError(message: "proto: unexpected EOF") }
                let value = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                bytes = bytes.dropFirst(8)
                return (number, .fixed(value))
            case 5:
                guard bytes.count >= 4 else { throw DecodeError(message: "proto: unexpected EOF") }
                let value = bytes.prefix(4).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                bytes = bytes.dropFirst(4)
                return (number, .fixed(value))
            default:
                throw DecodeError(message: "proto: illegal wireType \(key & 7)")
            }
        }
    }
}
