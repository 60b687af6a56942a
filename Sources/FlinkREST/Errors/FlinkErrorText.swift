/// Turns Flink's Java stack traces into short, readable text: the exception classes and messages, no frames.
///
/// Flink answers errors with `{"errors": [String]}` whose strings are whole stack traces (often 40 KB), and
/// reports job and savepoint failures the same way. The useful part is the first line and the `Caused by:`
/// chain, whose last entry usually names the real problem.
public enum FlinkErrorText {
    /// The default cap of a summary, in UTF-8 bytes.
    public static let defaultLimit = 1024

    /// A summary of several error strings (Flink's `errors` array), one summary after another.
    ///
    /// Guarantees: at most `limit` UTF-8 bytes (the first line and the deepest causes are kept, the middle is
    /// replaced by `…`); never empty when any input has text.
    public static func summary(of errors: [String], limit: Int = defaultLimit) -> String {
        var segments: [String] = []
        for error in errors {
            for segment in condensedSegments(of: error) where segments.last != segment {
                segments.append(segment)
            }
        }
        // "Internal server error." is Flink's generic prefix for 500s; it says nothing when details follow.
        if segments.count > 1 { segments.removeAll { $0 == "Internal server error." } }
        return capped(segments, limit: limit)
    }

    /// A summary of one stack trace (an exception's `stack-trace` or `stacktrace` field).
    public static func summary(ofStackTrace stackTrace: String, limit: Int = defaultLimit) -> String {
        summary(of: [stackTrace], limit: limit)
    }

    /// The throwables of one stack trace, each as its header line plus message continuation lines, without
    /// frames, suppressed blocks, Flink's "exception on server side" wrapper lines and pure wrapper causes.
    static func condensedSegments(of stackTrace: String) -> [String] {
        var segments: [[Substring]] = []
        var inMessage = true
        for rawLine in stackTrace.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingTrailingWhitespace()
            if line.isEmpty { continue }
            if line == "<Exception on server side:" { inMessage = true; continue }
            if line == "End of exception on server side>" { continue }
            if line.hasPrefix("Caused by: ") {
                segments.append([line])
                inMessage = true
            } else if line.first == "\t" || line.first == " " {
                // Frames ("\tat …", "\t... 4 more") and indented suppressed/nested blocks end a message.
                inMessage = false
            } else if inMessage {
                // A header line, or a continuation line of a multi-line exception message.
                if segments.isEmpty { segments.append([line]) } else { segments[segments.count - 1].append(line) }
            }
        }
        var texts = segments.map { $0.joined(separator: "\n") }
        // "Caused by: CompletionException: x.Y: msg" directly followed by "Caused by: x.Y: msg" adds nothing.
        var index = 0
        while index + 1 < texts.count {
            let next = texts[index + 1].droppingCausedByPrefix()
            if index > 0, texts[index].droppingCausedByPrefix().hasSuffix(": " + next) {
                texts.remove(at: index)
            } else {
                index += 1
            }
        }
        return texts
    }

    /// Joins segments with newlines within `limit` bytes, keeping the first line and the last segments.
    static func capped(_ segments: [String], limit: Int) -> String {
        let joined = segments.joined(separator: "\n")
        if joined.utf8.count <= limit { return joined }
        let marker = "\n…"
        let first = truncated(segments.first.map { String($0.prefix { !$0.isNewline }) } ?? "", to: limit)
        var budget = limit - first.utf8.count - marker.utf8.count
        var tail: [String] = []
        for segment in segments.dropFirst().reversed() {
            let cost = segment.utf8.count + 1
            if cost > budget { break }
            tail.insert(segment, at: 0)
            budget -= cost
        }
        if tail.isEmpty {
            // Not even the deepest cause fits whole: show as much of it as the budget allows.
            if let last = segments.last, segments.count > 1, budget > 16 {
                return first + marker + "\n" + truncated(last, to: budget - 1)
            }
            return first == joined ? first : truncated(first, to: limit)
        }
        return ([first + marker] + tail).joined(separator: "\n")
    }

    /// `text` cut to at most `limit` UTF-8 bytes on a character boundary, ending in `…` when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        if text.utf8.count <= limit { return text }
        let ellipsis = "…"
        var result = ""
        var used = ellipsis.utf8.count
        for character in text {
            let size = String(character).utf8.count
            if used + size > limit { break }
            result.append(character)
            used += size
        }
        return result + ellipsis
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\r" {
            end = index(before: end)
        }
        return self[..<end]
    }
}

extension String {
    fileprivate func droppingCausedByPrefix() -> Substring {
        hasPrefix("Caused by: ") ? dropFirst("Caused by: ".count) : self[...]
    }
}
