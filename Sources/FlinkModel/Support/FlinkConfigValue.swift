/// Parsing of Flink configuration values the model acts on (Flink's `TimeUtils` and integer syntax).
enum FlinkConfigValue {
    /// The milliseconds of a Flink duration (`1500 ms`, `10 s`, `10s`, `1 min`, `2 h`, `1 d`; a plain number is
    /// milliseconds), or `nil` when it is not one.
    static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits) else { return nil }
        let unit = String(trimmed.dropFirst(digits.count)).trimmingWhitespace().lowercased()
        let factor: Double
        switch unit {
        case "ns", "nano", "nanos", "nanosecond", "nanoseconds": factor = 1e-6
        case "us", "µs", "micro", "micros", "microsecond", "microseconds": factor = 1e-3
        case "", "ms", "milli", "millis", "millisecond", "milliseconds": factor = 1
        case "s", "sec", "secs", "second", "seconds": factor = 1000
        case "m", "min", "mins", "minute", "minutes": factor = 60_000
        case "h", "hour", "hours": factor = 3_600_000
        case "d", "day", "days": factor = 86_400_000
        default: return nil
        }
        let milliseconds = Double(value) * factor
        guard milliseconds.isFinite, milliseconds < 9e18 else { return nil }
        return Int64(milliseconds)
    }

    /// An integer value, or `nil`.
    static func integer(_ text: String?) -> Int? {
        text.flatMap { Int($0.trimmingWhitespace()) }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
