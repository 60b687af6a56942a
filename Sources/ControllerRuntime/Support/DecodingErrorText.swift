import Foundation

/// Short human-readable descriptions of decoding errors (field path + what was wrong), for conditions and events.
public enum DecodingErrorText {
    /// `spec.parallelism: expected Int, found a string` style text for `DecodingError`s; `"\(error)"` otherwise.
    public static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            return text.isEmpty ? "the document" : text
        }
        switch decoding {
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): missing \(type) value"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return parent == "the document" ? "missing field \(key.stringValue)" : "\(parent): missing field \(key.stringValue)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
