/// A parsed CEL expression (the subset CRD validation rules use: literals, field selection, `has`, logical,
/// relational and arithmetic operators, `in`, ternaries, list and map literals, the list macros and the common
/// string, size and conversion functions).
indirect enum CELExpression: Sendable {
    case literal(CELValue)
    case identifier(String)
    case select(CELExpression, String)
    case index(CELExpression, CELExpression)
    case has(CELExpression, String)
    case call(String, target: CELExpression?, [CELExpression])
    /// `target.all(x, body)` and friends.
    case macro(String, target: CELExpression, variable: String, [CELExpression])
    case unary(String, CELExpression)
    case binary(String, CELExpression, CELExpression)
    case conditional(CELExpression, CELExpression, CELExpression)
    case list([CELExpression])
    case map([(CELExpression, CELExpression)])

    /// Parses CEL text; throws `CELError.syntax` for anything outside the supported subset.
    init(parsing text: String) throws(CELError) {
        var parser = CELParser(tokens: try CELLexer.tokens(text))
        let expression = try parser.expression()
        guard parser.atEnd else { throw .syntax("unexpected \(parser.peekText)") }
        self = expression
    }

    /// Whether the expression mentions `oldSelf` (a transition rule).
    var usesOldSelf: Bool {
        switch self {
        case .literal: false
        case .identifier(let name): name == "oldSelf"
        case .select(let e, _), .has(let e, _), .unary(_, let e): e.usesOldSelf
        case .index(let a, let b), .binary(_, let a, let b): a.usesOldSelf || b.usesOldSelf
        case .call(_, let target, let args): (target?.usesOldSelf ?? false) || args.contains { $0.usesOldSelf }
        case .macro(_, let target, _, let args): target.usesOldSelf || args.contains { $0.usesOldSelf }
        case .conditional(let a, let b, let c): a.usesOldSelf || b.usesOldSelf || c.usesOldSelf
        case .list(let items): items.contains { $0.usesOldSelf }
        case .map(let entries): entries.contains { $0.0.usesOldSelf || $0.1.usesOldSelf }
        }
    }
}

/// A CEL failure: a syntax the subset does not support, or an evaluation error.
enum CELError: Error, Sendable, Equatable {
    case syntax(String)
    case evaluation(String)

    var message: String {
        switch self {
        case .syntax(let m), .evaluation(let m): m
        }
    }
}

enum CELToken: Sendable, Equatable {
    case identifier(String)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case symbol(String)
}

enum CELLexer {
    static func tokens(_ text: String) throws(CELError) -> [CELToken] {
        var out: [CELToken] = []
        let chars = Array(text)
        var i = 0
        let symbols = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}",
                       ".", ",", "?", ":"]
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                let word = String(chars[i..<j])
                // Raw strings: r'...' / R"..."
                if (word == "r" || word == "R"), j < chars.count, chars[j] == "'" || chars[j] == "\"" {
                    let quote = chars[j]
                    var k = j + 1
                    var s = ""
                    while k < chars.count, chars[k] != quote { s.append(chars[k]); k += 1 }
                    guard k < chars.count else { throw .syntax("unterminated string") }
                    out.append(.string(s))
                    i = k + 1
                    continue
                }
                out.append(.identifier(word))
                i = j
                continue
            }
            if c.isNumber {
                var j = i
                var isDouble = false
                while j < chars.count, chars[j].isNumber || (chars[j] == "." && j + 1 < chars.count && chars[j + 1].isNumber) {
                    if chars[j] == "." { isDouble = true }
                    j += 1
                }
                let text = String(chars[i..<j])
                if j < chars.count, chars[j] == "u" || chars[j] == "U" {
                    guard let v = UInt64(text) else { throw .syntax("bad number \(text)") }
                    out.append(.uint(v))
                    j += 1
                } else if isDouble {
                    out.append(.double(Double(text) ?? 0))
                } else {
                    guard let v = Int64(text) else { throw .syntax("bad number \(text)") }
                    out.append(.int(v))
                }
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var s = ""
                while j < chars.count, chars[j] != c {
                    if chars[j] == "\\", j + 1 < chars.count {
                        j += 1
                        switch chars[j] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "r": s.append("\r")
                        default: s.append(chars[j])
                        }
                    } else {
                        s.append(chars[j])
                    }
                    j += 1
                }
                guard j < chars.count else { throw .syntax("unterminated string") }
                out.append(.string(s))
                i = j + 1
                continue
            }
            guard let symbol = symbols.first(where: { s in
                let sc = Array(s)
                return i + sc.count <= chars.count && Array(chars[i..<(i + sc.count)]) == sc
            }) else { throw .syntax("unexpected character \(c)") }
            out.append(.symbol(symbol))
            i += symbol.count
        }
        return out
    }
}

struct CELParser {
    var tokens: [CELToken]
    var position = 0

    var atEnd: Bool { position >= tokens.count }
    var peekText: String { atEnd ? "end of input" : "\(tokens[position])" }

    private func peek(_ symbol: String) -> Bool {
        guard position < tokens.count, case .symbol(let s) = tokens[position] else { return false }
        return s == symbol
    }

    private mutating func accept(_ symbol: String) -> Bool {
        if peek(symbol) { position += 1; return true }
        return false
    }

    private mutating func expect(_ symbol: String) throws(CELError) {
        guard accept(symbol) else { throw .syntax("expected \(symbol), found \(peekText)") }
    }

    private mutating func acceptKeyword(_ word: String) -> Bool {
        guard position < tokens.count, case .identifier(let w) = tokens[position], w == word else { return false }
        position += 1
        return true
    }

    mutating func expression() throws(CELError) -> CELExpression {
        let condition = try binary(level: 0)
        if accept("?") {
            let a = try expression()
            try expect(":")
            let b = try expression()
            return .conditional(condition, a, b)
        }
        return condition
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"], ["*", "/", "%"]]

    private mutating func binary(level: Int) throws(CELError) -> CELExpression {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level: level + 1)
        while true {
            var matched: String?
            for op in Self.levels[level] {
                if op == "in" ? acceptKeyword("in") : accept(op) { matched = op; break }
            }
            guard let op = matched else { return left }
            let right = try binary(level: level + 1)
            left = .binary(op, left, right)
        }
    }

    private mutating func unary() throws(CELError) -> CELExpression {
        if accept("!") { return .unary("!", try unary()) }
        if accept("-") { return .unary("-", try unary()) }
        return try member()
    }

    private mutating func arguments(closing: String) throws(CELError) -> [CELExpression] {
        var args: [CELExpression] = []
        if accept(closing) { return args }
        repeat { args.append(try expression()) } while accept(",")
        try expect(closing)
        return args
    }

    private mutating func member() throws(CELError) -> CELExpression {
        var e = try primary()
        while true {
            if accept(".") {
                guard position < tokens.count, case .identifier(let name) = tokens[position] else {
                    throw .syntax("expected a field name after '.'")
                }
                position += 1
                if accept("(") {
                    let args = try arguments(closing: ")")
                    if ["all", "exists", "exists_one", "filter", "map"].contains(name), args.count == 2,
                       case .identifier(let variable) = args[0] {
                        e = .macro(name, target: e, variable: variable, [args[1]])
                    } else {
                        e = .call(name, target: e, args)
                    }
                } else {
                    e = .select(e, name)
                }
            } else if accept("[") {
                let i = try expression()
                try expect("]")
                e = .index(e, i)
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws(CELError) -> CELExpression {
        guard position < tokens.count else { throw .syntax("unexpected end of input") }
        let token = tokens[position]
        position += 1
        switch token {
        case .int(let v): return .literal(.int(v))
        case .uint(let v): return .literal(.uint(v))
        case .double(let v): return .literal(.double(v))
        case .string(let s): return .literal(.string(s))
        case .identifier(let name):
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            default: break
            }
            if accept("(") {
                let args = try arguments(closing: ")")
                if name == "has" {
                    guard args.count == 1, case .select(let target, let field) = args[0] else {
                        throw .syntax("has() needs a field selection")
                    }
                    return .has(target, field)
                }
                return .call(name, target: nil, args)
            }
            return .identifier(name)
        case .symbol("("):
            let e = try expression()
            try expect(")")
            return e
        case .symbol("["):
            return .list(try arguments(closing: "]"))
        case .symbol("{"):
            var entries: [(CELExpression, CELExpression)] = []
            if !accept("}") {
                repeat {
                    let k = try expression()
                    try expect(":")
                    entries.append((k, try expression()))
                } while accept(",")
                try expect("}")
            }
            return .map(entries)
        default:
            throw .syntax("unexpected \(token)")
        }
    }
}
