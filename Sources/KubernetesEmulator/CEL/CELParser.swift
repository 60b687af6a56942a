struct CELParser {
    /// The tokens.
    var tokens: [CELToken]
    /// The position.
    var position = 0

    /// The at end.
    var atEnd: Bool { position >= tokens.count }
    /// The peek text.
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
