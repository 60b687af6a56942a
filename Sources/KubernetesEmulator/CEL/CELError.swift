/// A CEL failure: a syntax the subset does not support, or an evaluation error.
enum CELError: Error, Sendable, Equatable {
    /// Syntax.
    case syntax(String)
    /// Evaluation.
    case evaluation(String)

    /// The message.
    var message: String {
        switch self {
        case .syntax(let m), .evaluation(let m): m
        }
    }
}
