/// An RFC 6901 JSON Pointer such as `/metadata/finalizers/0`.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens; empty for the whole document.
    public var tokens: [String]

    /// Builds a pointer from unescaped tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the textual form (`""` or `/a/b~1c`).
    ///
    /// - Throws: `JSONCoreError.invalidPointer` when the text does not start with `/` or holds a bad `~` escape.
    public init(_ text: String) throws {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw JSONCoreError.invalidPointer(text) }
        tokens = try text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { raw in
            var token = ""
            var iterator = raw.makeIterator()
            while let c = iterator.next() {
                guard c == "~" else {
                    token.append(c)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw JSONCoreError.invalidPointer(text)
                }
            }
            return token
        }
    }

    /// The escaped textual form.
    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }
}

extension JSONValue {
    /// The value a pointer refers to, or `nil` when it does not resolve.
    public func value(at pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), token == String(index), elements.indices.contains(index) else {
                    return nil
                }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
