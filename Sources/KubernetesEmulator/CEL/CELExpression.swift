/// A parsed CEL expression (the subset CRD validation rules use: literals, field selection, `has`, logical,
/// relational and arithmetic operators, `in`, ternaries, list and map literals, the list macros and the common
/// string, size and conversion functions).
indirect enum CELExpression: Sendable {
    /// Literal.
    case literal(CELValue)
    /// Identifier.
    case identifier(String)
    /// Select.
    case select(CELExpression, String)
    /// Index.
    case index(CELExpression, CELExpression)
    /// Has.
    case has(CELExpression, String)
    /// Call.
    case call(String, target: CELExpression?, [CELExpression])
    /// `target.all(x, body)` and friends.
    case macro(String, target: CELExpression, variable: String, [CELExpression])
    /// Unary.
    case unary(String, CELExpression)
    /// Binary.
    case binary(String, CELExpression, CELExpression)
    /// Conditional.
    case conditional(CELExpression, CELExpression, CELExpression)
    /// List.
    case list([CELExpression])
    /// Map.
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
