import Foundation

/// Ages as kubectl shows them (`5s`, `2m10s`, `3h4m`, `6d`): apimachinery's `duration.HumanDuration`, which the
/// server uses for the `date` cells of a Table.
enum HumanDuration {
    /// The human-readable form of `seconds` (fractions are truncated, as Go's integer division does).
    static func format(seconds interval: Double) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        // Like Go: up to two seconds in the future counts as now (clock skew), more is invalid.
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The age of a `metav1.Time` / `MicroTime` text at `now`: `<unknown>` for none, `<invalid>` when unparsable.
    static func age(of timestamp: String?, now: Date) -> String {
        guard let timestamp, !timestamp.isEmpty else { return "<unknown>" }
        guard let instant = instant(timestamp) else { return "<invalid>" }
        let then = Double(instant.seconds) + Double(instant.nanoseconds) / 1e9
        return format(seconds: now.timeIntervalSince1970 - then)
    }

    /// Parses RFC 3339 with or without fractional seconds.
    static func instant(_ text: String) -> GoTime.Instant? {
        if case .success(let i) = GoTime.parse(text, layout: .rfc3339) { return i }
        if case .success(let i) = GoTime.parse(text, layout: .rfc3339Micro) { return i }
        return nil
    }
}
