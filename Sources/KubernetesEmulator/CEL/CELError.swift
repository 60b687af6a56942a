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
