/// Parses the Go duration syntax the CRDs use for time spans (`30s`, `5m`, `1h30m`, `1.5h`, `250ms`).
///
/// Written here rather than taken from a library because none of the available Swift packages parses it; the
/// grammar is small: one or more `<decimal number><unit>` pairs, units `ns us µs ms s m h`, no sign, no spaces.
public enum GoDuration {
    /// The duration `text` denotes, or `nil` when it is not valid Go duration syntax. `"0"` is zero.
    public static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total = Duration.zero
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != ".",
                let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unit.count)
            let nanosecondsPerUnit: Double
            switch unit {
            case "ns": nanosecondsPerUnit = 1
            case "us", "µs": nanosecondsPerUnit = 1e3
            case "ms": nanosecondsPerUnit = 1e6
            case "s": nanosecondsPerUnit = 1e9
            case "m": nanosecondsPerUnit = 60e9
            case "h": nanosecondsPerUnit = 3600e9
            default: return nil
            }
            let nanoseconds = value * nanosecondsPerUnit
            guard nanoseconds.isFinite, nanoseconds < 9.2e18 else { return nil }
            total += .nanoseconds(Int64(nanoseconds.rounded()))
        }
        return total
    }

    /// Formats a duration for people, in the units `parse` reads: `10m`, `1h30m`, `2s`, `500ms`, `0s`.
    public static func format(_ duration: Duration) -> String {
        let total = duration.milliseconds
        guard total > 0 else { return total == 0 ? "0s" : "-" + format(.milliseconds(-total)) }
        guard total % 1000 == 0 else { return total < 1000 ? "\(total)ms" : "\(Double(total) / 1000)s" }
        var seconds = total / 1000
        var text = ""
        for (unit, size) in [("h", Int64(3600)), ("m", 60)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
        return text
    }

    /// Formats a duration the way Flink configuration values expect it (`1500 ms`).
    public static func flinkValue(_ duration: Duration) -> String {
        "\(duration.milliseconds) ms"
    }
}

extension Duration {
    /// The duration in whole milliseconds (rounded down).
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds as a `Double`.
    public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
