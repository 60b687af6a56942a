import Foundation
import JSONCore
import Synchronization

/// Compiled `pattern`s, shared across schemas.
enum PatternCache {
    /// `NSRegularExpression` is immutable after creation and documented as safe to use from several threads;
    /// it is only not annotated `Sendable`.
    private struct Compiled: @unchecked Sendable { let regex: NSRegularExpression? }
    private static let cache = Mutex<[String: Compiled]>([:])

    /// Whether `pattern` matches somewhere in `s` (an invalid pattern matches everything).
    static func matches(_ pattern: String, _ s: String) -> Bool {
        let compiled = cache.withLock { cache -> Compiled in
            if let c = cache[pattern] { return c }
            let c = Compiled(regex: try? NSRegularExpression(pattern: pattern))
            cache[pattern] = c
            return c
        }
        guard let regex = compiled.regex else { return true }
        let range = NSRange(s.startIndex..., in: s)
        return regex.firstMatch(in: s, range: range) != nil
    }
}
