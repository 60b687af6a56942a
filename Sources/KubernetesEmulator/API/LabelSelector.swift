/// A parsed label selector (`app=x,tier in (a,b),!legacy`), with the real parser's error messages.
struct LabelSelector: Sendable, Equatable {
    /// Selector operators.
    enum Operator: Sendable, Equatable {
        /// Equals.
        case equals, notEquals, isIn, notIn, exists, doesNotExist
    }

    /// One requirement.
    struct Requirement: Sendable, Equatable {
        /// The key.
        var key: String
        /// The op.
        var op: Operator
        /// The values.
        var values: [String]

        /// Whether every requirement holds for `labels`.
        func matches(_ labels: [String: String]) -> Bool {
            switch op {
            case .equals, .isIn:
                guard let v = labels[key] else { return false }
                return values.contains(v)
            case .notEquals, .notIn:
                guard let v = labels[key] else { return true }
                return !values.contains(v)
            case .exists: return labels[key] != nil
            case .doesNotExist: return labels[key] == nil
            }
        }
    }

    /// The requirements.
    var requirements: [Requirement]

    /// The is empty.
    var isEmpty: Bool { requirements.isEmpty }

    /// Whether every requirement holds for `labels`.
    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// A selector of these requirements.
    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses a selector; throws the message a kube-apiserver returns in its 400.
    init(parsing text: String) throws(SelectorError) {
        var lexer = Lexer(Array(text))
        var requirements: [Requirement] = []
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            self.requirements = []
            return
        }
        while true {
            requirements.append(try Self.parseRequirement(&lexer))
            let token = lexer.next()
            switch token {
            case .end: self.requirements = requirements; return
            case .comma:
                if case .end = lexer.peek() {
                    throw SelectorError(message: "found '', expected: identifier after ','")
                }
                continue
            default:
                throw SelectorError(message: "found '\(token.text)', expected: ',' or 'end of string'")
            }
        }
    }

    private static func parseRequirement(_ lexer: inout Lexer) throws(SelectorError) -> Requirement {
        var token = lexer.next()
        if case .not = token {
            token = lexer.next()
            guard case .identifier(let key) = token else {
                throw SelectorError(message: "found '\(token.text)', expected: identifier")
            }
            try validateKey(key)
            return Requirement(key: key, op: .doesNotExist, values: [])
        }
        guard case .identifier(let key) = token else {
            throw SelectorError(message: "found '\(token.text)', expected: !, identifier, or 'end of string'")
        }
        try validateKey(key)
        switch lexer.peek() {
        case .end, .comma:
            return Requirement(key: key, op: .exists, values: [])
        default:
            break
        }
        let opToken = lexer.next()
        let op: Operator
        switch opToken {
        case .equals, .doubleEquals: op = .equals
        case .notEquals: op = .notEquals
        case .identifier("in"): op = .isIn
        case .identifier("notin"): op = .notIn
        default:
            throw SelectorError(message: "found '\(opToken.text)', expected: in, notin, =, ==, !=, gt, lt")
        }
        if op == .equals || op == .notEquals {
            switch lexer.peek() {
            case .identifier(let v):
                _ = lexer.next()
                try validateValue(v)
                return Requirement(key: key, op: op, values: [v])
            case .end, .comma:
                return Requirement(key: key, op: op, values: [""])
            default:
                let t = lexer.next()
                throw SelectorError(message: "found '\(t.text)', expected: identifier")
            }
        }
        guard case .openParen = lexer.next() else {
            throw SelectorError(message: "found '', expected: '('")
        }
        var values: [String] = []
        while true {
            let t = lexer.next()
            switch t {
            case .identifier(let v):
                try validateValue(v)
                values.append(v)
                let sep = lexer.next()
                switch sep {
                case .comma: continue
                case .closeParen: return Requirement(key: key, op: op, values: values)
                default: throw SelectorError(message: "found '\(sep.text)', expected: ',' or ')'")
                }
            case .closeParen:
                return Requirement(key: key, op: op, values: values.isEmpty ? [""] : values)
            case .comma:
                values.append("")
            default:
                throw SelectorError(message: "found '\(t.text)', expected: ',' or ')'")
            }
        }
    }

    private static func validateKey(_ key: String) throws(SelectorError) {
        let errors = NameValidation.qualifiedName(key)
        if let first = errors.first {
            throw SelectorError(message: "invalid label key \"\(key)\": \(first)", raw: true)
        }
    }

    private static func validateValue(_ value: String) throws(SelectorError) {
        let errors = NameValidation.labelValue(value)
        if let first = errors.first {
            throw SelectorError(message: "invalid label value: \"\(value)\": at key: \"\": \(first)", raw: true)
        }
    }

    private enum Token: Equatable {
        /// Identifier.
        case identifier(String), comma, equals, doubleEquals, notEquals, not, openParen, closeParen, end

        /// The text.
        var text: String {
            switch self {
            case .identifier(let s): s
            case .comma: ","
            case .equals: "="
            case .doubleEquals: "=="
            case .notEquals: "!="
            case .not: "!"
            case .openParen: "("
            case .closeParen: ")"
            case .end: ""
            }
        }
    }

    private struct Lexer {
        /// The chars.
        var chars: [Character]
        /// The index.
        var index = 0
        /// The peeked.
        var peeked: Token?

        init(_ chars: [Character]) { self.chars = chars }

        mutating func peek() -> Token {
            if let peeked { return peeked }
            let t = scan()
            peeked = t
            return t
        }

        mutating func next() -> Token {
            if let p = peeked {
                peeked = nil
                return p
            }
            return scan()
        }

        private mutating func scan() -> Token {
            while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
            guard index < chars.count else { return .end }
            let c = chars[index]
            switch c {
            case ",": index += 1; return .comma
            case "(": index += 1; return .openParen
            case ")": index += 1; return .closeParen
            case "=":
                index += 1
                if index < chars.count, chars[index] == "=" { index += 1; return .doubleEquals }
                return .equals
            case "!":
                index += 1
                if index < chars.count, chars[index] == "=" { index += 1; return .notEquals }
                return .not
            default:
                var s = ""
                while index < chars.count, !" \t,()=!".contains(chars[index]) {
                    s.append(chars[index])
                    index += 1
                }
                return .identifier(s)
            }
        }
    }
}
