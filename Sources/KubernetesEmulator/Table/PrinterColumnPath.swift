import JSONCore

/// The JSONPath subset of CustomResourceDefinition `additionalPrinterColumns` (`.status.job.id`,
/// `.spec.args[0]`, `.items[*].name`, `.status.conditions[?(@.type=="Ready")].status`), evaluated like
/// client-go's `jsonpath` with missing keys allowed: a path that leads nowhere gives no results.
struct PrinterColumnPath: Sendable {
    /// One step of the path.
    enum Step: Sendable, Equatable {
        /// A member of an object.
        case field(String)
        /// An element of an array (negative counts from the end).
        case index(Int)
        /// Every element of an array, or every member value of an object.
        case wildcard
        /// The elements of an array whose member at `path` compares to `value` (`==` or `!=`); `nil` value: exists.
        case filter(path: [String], equals: Bool, value: JSONValue?)
    }

    /// The steps.
    let steps: [Step]

    /// Parses a column's `jsonPath`; `nil` when it is outside the subset (a real server refuses such a CRD).
    init?(_ text: String) {
        var steps: [Step] = []
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("{") && rest.hasSuffix("}") { rest = rest.dropFirst().dropLast() }
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(name == "*" ? .wildcard : .field(String(name)))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = Self.closingBracket(rest) else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                rest = rest[rest.index(after: close)...]
                if inside == "*" {
                    steps.append(.wildcard)
                } else if let i = Int(inside) {
                    steps.append(.index(i))
                } else if (inside.hasPrefix("'") && inside.hasSuffix("'")) || (inside.hasPrefix("\"") && inside.hasSuffix("\"")),
                          inside.count >= 2 {
                    steps.append(.field(String(inside.dropFirst().dropLast())))
                } else if inside.hasPrefix("?(") && inside.hasSuffix(")") {
                    guard let filter = Self.filter(String(inside.dropFirst(2).dropLast())) else { return nil }
                    steps.append(filter)
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    private static func closingBracket(_ text: Substring) -> Substring.Index? {
        var quote: Character?
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "]" {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// `@.type=="Ready"`, `@.status != 'False'`, `@.ready`.
    private static func filter(_ text: String) -> Step? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (op, equals) in [("==", true), ("!=", false)] {
            guard let range = trimmed.range(of: op) else { continue }
            let left = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let right = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard let path = memberPath(left), let value = literal(right) else { return nil }
            return .filter(path: path, equals: equals, value: value)
        }
        guard let path = memberPath(trimmed) else { return nil }
        return .filter(path: path, equals: true, value: nil)
    }

    private static func memberPath(_ text: String) -> [String]? {
        guard text.hasPrefix("@") else { return nil }
        let members = text.dropFirst().split(separator: ".", omittingEmptySubsequences: true).map(String.init)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        return members.allSatisfy { $0.allSatisfy(allowed.contains) } ? members : nil
    }

    private static func literal(_ text: String) -> JSONValue? {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            return .string(String(text.dropFirst().dropLast()))
        }
        if let i = Int64(text) { return .integer(i) }
        if let d = Double(text) { return .double(d) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        return nil
    }

    /// The values the path selects in `value`, in document order.
    func results(in value: JSONValue) -> [JSONValue] {
        var current = [value]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .field(let name):
                    if let member = v.objectValue?[name] { next.append(member) }
                case .index(let i):
                    if let a = v.arrayValue {
                        let position = i < 0 ? a.count + i : i
                        if a.indices.contains(position) { next.append(a[position]) }
                    }
                case .wildcard:
                    if let a = v.arrayValue { next += a }
                    if let o = v.objectValue { next += o.keys.sorted().compactMap { o[$0] } }
                case .filter(let path, let equals, let expected):
                    for element in v.arrayValue ?? [] {
                        let member = path.isEmpty ? element : element[path: path]
                        if let expected {
                            guard let member else { continue }
                            if (member == expected) == equals { next.append(element) }
                        } else if member != nil {
                            next.append(element)
                        }
                    }
                }
            }
            current = next
        }
        return current
    }
}
