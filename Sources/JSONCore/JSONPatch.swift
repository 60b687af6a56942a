/// An RFC 6902 JSON Patch: an ordered list of operations applied atomically.
public struct JSONPatch: Sendable, Hashable, Codable {
    /// One operation of a patch.
    public enum Operation: Sendable, Hashable {
        case add(path: JSONPointer, value: JSONValue)
        case remove(path: JSONPointer)
        case replace(path: JSONPointer, value: JSONValue)
        case move(from: JSONPointer, path: JSONPointer)
        case copy(from: JSONPointer, path: JSONPointer)
        case test(path: JSONPointer, value: JSONValue)
    }

    /// The operations, applied in order.
    public var operations: [Operation]

    /// Builds a patch from operations.
    public init(_ operations: [Operation]) {
        self.operations = operations
    }

    /// Parses a patch document (a JSON array of operation objects).
    ///
    /// - Throws: `JSONCoreError.invalidPatch` naming the first malformed operation.
    public init(document: JSONValue) throws {
        guard case .array(let items) = document else {
            throw JSONCoreError.invalidPatch("a JSON patch must be an array of operations")
        }
        operations = try items.enumerated().map { index, item in
            func pointer(_ key: String) throws -> JSONPointer {
                guard let text = item[key]?.stringValue else {
                    throw JSONCoreError.invalidPatch("operation \(index) lacks a string \"\(key)\"")
                }
                return try JSONPointer(text)
            }
            func value() throws -> JSONValue {
                guard let v = item["value"] else {
                    throw JSONCoreError.invalidPatch("operation \(index) lacks \"value\"")
                }
                return v
            }
            switch item["op"]?.stringValue {
            case "add": return .add(path: try pointer("path"), value: try value())
            case "remove": return .remove(path: try pointer("path"))
            case "replace": return .replace(path: try pointer("path"), value: try value())
            case "move": return .move(from: try pointer("from"), path: try pointer("path"))
            case "copy": return .copy(from: try pointer("from"), path: try pointer("path"))
            case "test": return .test(path: try pointer("path"), value: try value())
            case let op: throw JSONCoreError.invalidPatch("operation \(index) has unknown op \(op ?? "<none>")")
            }
        }
    }

    /// The patch as a JSON array of operation objects.
    public var document: JSONValue {
        .array(operations.map { op in
            switch op {
            case let .add(path, value): ["op": "add", "path": .string(path.description), "value": value]
            case let .remove(path): ["op": "remove", "path": .string(path.description)]
            case let .replace(path, value): ["op": "replace", "path": .string(path.description), "value": value]
            case let .move(from, path):
                ["op": "move", "from": .string(from.description), "path": .string(path.description)]
            case let .copy(from, path):
                ["op": "copy", "from": .string(from.description), "path": .string(path.description)]
            case let .test(path, value): ["op": "test", "path": .string(path.description), "value": value]
            }
        })
    }

    public init(from decoder: any Decoder) throws {
        try self.init(document: try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
    }

    /// Applies every operation to `target`; either all succeed or the target is returned unchanged by throwing.
    ///
    /// - Throws: `JSONCoreError.patchFailed` with the failing operation's index and why.
    public func apply(to target: JSONValue) throws -> JSONValue {
        var document = target
        for (index, operation) in operations.enumerated() {
            do {
                try document.apply(operation)
            } catch let PatchStepFailure.reason(reason) {
                throw JSONCoreError.patchFailed(operation: index, reason: reason)
            }
        }
        return document
    }
}

private enum PatchStepFailure: Error {
    case reason(String)
}

extension JSONValue {
    fileprivate mutating func apply(_ operation: JSONPatch.Operation) throws {
        switch operation {
        case let .add(path, value):
            try insert(value, at: path)
        case let .remove(path):
            _ = try remove(at: path)
        case let .replace(path, value):
            _ = try remove(at: path)
            try insert(value, at: path)
        case let .move(from, path):
            if path.tokens.starts(with: from.tokens) && path.tokens.count > from.tokens.count {
                throw PatchStepFailure.reason("cannot move \(from) into its own child \(path)")
            }
            let value = try remove(at: from)
            try insert(value, at: path)
        case let .copy(from, path):
            guard let value = value(at: from) else { throw PatchStepFailure.reason("no value at \(from)") }
            try insert(value, at: path)
        case let .test(path, expected):
            guard let actual = value(at: path) else { throw PatchStepFailure.reason("no value at \(path)") }
            guard actual == expected else { throw PatchStepFailure.reason("test failed at \(path)") }
        }
    }

    /// Inserts per RFC 6902 `add`: replaces an object member, inserts into an array (`-` appends).
    private mutating func insert(_ value: JSONValue, at pointer: JSONPointer) throws {
        guard let last = pointer.tokens.last else {
            self = value
            return
        }
        let parentPointer = JSONPointer(tokens: Array(pointer.tokens.dropLast()))
        try modify(at: parentPointer) { parent in
            switch parent {
            case .object(var members):
                members[last] = value
                parent = .object(members)
            case .array(var elements):
                if last == "-" {
                    elements.append(value)
                } else if let index = Int(last), String(index) == last, (0...elements.count).contains(index) {
                    elements.insert(value, at: index)
                } else {
                    throw PatchStepFailure.reason("index \(last) out of bounds at \(parentPointer)")
                }
                parent = .array(elements)
            default:
                throw PatchStepFailure.reason("\(parentPointer) is neither an object nor an array")
            }
        }
    }

    /// Removes and returns the value at `pointer`; throws when nothing is there.
    private mutating func remove(at pointer: JSONPointer) throws -> JSONValue {
        guard let last = pointer.tokens.last else {
            throw PatchStepFailure.reason("cannot remove the whole document")
        }
        let parentPointer = JSONPointer(tokens: Array(pointer.tokens.dropLast()))
        var removed = JSONValue.null
        try modify(at: parentPointer) { parent in
            switch parent {
            case .object(var members):
                guard let value = members.removeValue(forKey: last) else {
                    throw PatchStepFailure.reason("no value at \(pointer)")
                }
                removed = value
                parent = .object(members)
            case .array(var elements):
                guard let index = Int(last), String(index) == last, elements.indices.contains(index) else {
                    throw PatchStepFailure.reason("no value at \(pointer)")
                }
                removed = elements.remove(at: index)
                parent = .array(elements)
            default:
                throw PatchStepFailure.reason("no value at \(pointer)")
            }
        }
        return removed
    }

    /// Runs `body` on the value at `pointer` in place; throws when the pointer does not resolve.
    private mutating func modify(at pointer: JSONPointer, _ body: (inout JSONValue) throws -> Void) throws {
        guard let first = pointer.tokens.first else {
            try body(&self)
            return
        }
        let rest = JSONPointer(tokens: Array(pointer.tokens.dropFirst()))
        switch self {
        case .object(var members):
            guard var child = members[first] else { throw PatchStepFailure.reason("no value at /\(first)") }
            try child.modify(at: rest, body)
            members[first] = child
            self = .object(members)
        case .array(var elements):
            guard let index = Int(first), String(index) == first, elements.indices.contains(index) else {
                throw PatchStepFailure.reason("no array element \(first)")
            }
            try elements[index].modify(at: rest, body)
            self = .array(elements)
        default:
            throw PatchStepFailure.reason("cannot descend into a scalar at \(first)")
        }
    }
}
