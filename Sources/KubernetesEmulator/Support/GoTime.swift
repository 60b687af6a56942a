import Foundation

/// Parses and formats Kubernetes timestamps exactly like Go's `time.Parse` with the layouts `metav1.Time`
/// (`2006-01-02T15:04:05Z07:00`) and `metav1.MicroTime` (`2006-01-02T15:04:05.000000Z07:00`) use, including
/// Go's error messages, which a real server puts verbatim into its 400/422 answers.
enum GoTime {
    /// The two layouts Kubernetes serialises times with.
    enum Layout: Sendable {
        /// RFC 3339 with optional fractional seconds (`metav1.Time`).
        case rfc3339
        /// RFC 3339 with exactly six fractional digits (`metav1.MicroTime`).
        case rfc3339Micro

        /// The text.
        var text: String {
            switch self {
            case .rfc3339: "2006-01-02T15:04:05Z07:00"
            case .rfc3339Micro: "2006-01-02T15:04:05.000000Z07:00"
            }
        }
    }

    /// A point in time: seconds since the Unix epoch (UTC) and nanoseconds.
    struct Instant: Sendable, Equatable, Comparable {
        /// The seconds.
        var seconds: Int64
        /// The nanoseconds.
        var nanoseconds: Int

        static func < (a: Instant, b: Instant) -> Bool {
            (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
        }

        init(seconds: Int64, nanoseconds: Int) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }

        init(_ date: Date) {
            let interval = date.timeIntervalSince1970
            let whole = interval.rounded(.down)
            seconds = Int64(whole)
            nanoseconds = min(999_999_999, max(0, Int(((interval - whole) * 1e9).rounded())))
        }
    }

    /// Parses `value`; on failure returns Go's error text (`parsing time "…" as "…": cannot parse …`).
    static func parse(_ value: String, layout: Layout) -> Result<Instant, ParseFailure> {
        var parser = Parser(value: Array(value.utf8), original: value, layout: layout)
        return parser.run()
    }

    /// A Go time parse error, carrying its message.
    struct ParseFailure: Error, Sendable {
        /// The message.
        var message: String
    }

    /// Formats as `metav1.Time` does (UTC, whole seconds).
    static func formatSeconds(_ instant: Instant) -> String {
        civil(instant.seconds) + "Z"
    }

    /// Formats as `metav1.MicroTime` does (UTC, six fractional digits).
    static func formatMicro(_ instant: Instant) -> String {
        civil(instant.seconds) + String(format: ".%06dZ", instant.nanoseconds / 1000)
    }

    private static func civil(_ seconds: Int64) -> String {
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                      Int(secondOfDay / 3600), Int(secondOfDay % 3600 / 60), Int(secondOfDay % 60))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// The number of days of a month.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private struct Parser {
        /// The value.
        var value: [UInt8]
        /// The original.
        let original: String
        /// The layout.
        let layout: Layout

        private func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

        private func cannotParse(_ rest: ArraySlice<UInt8>, as element: String) -> ParseFailure {
            ParseFailure(message: "parsing time \(GoJSONWriter.goQuote(original)) as \(GoJSONWriter.goQuote(layout.text)): cannot parse \(GoJSONWriter.goQuote(text(rest))) as \(GoJSONWriter.goQuote(element))")
        }

        private func range(_ what: String) -> ParseFailure {
            ParseFailure(message: "parsing time \(GoJSONWriter.goQuote(original)): \(what) out of range")
        }

        private static func isDigit(_ s: ArraySlice<UInt8>, _ i: Int) -> Bool {
            let index = s.startIndex + i
            return index < s.endIndex && s[index] >= 48 && s[index] <= 57
        }

        /// Go's getnum: one or two digits (exactly two when `fixed`).
        private static func number(_ s: inout ArraySlice<UInt8>, fixed: Bool) -> Int? {
            guard isDigit(s, 0) else { return nil }
            let first = Int(s[s.startIndex] - 48)
            guard isDigit(s, 1) else {
                if fixed { return nil }
                s = s.dropFirst()
                return first
            }
            let n = first * 10 + Int(s[s.startIndex + 1] - 48)
            s = s.dropFirst(2)
            return n
        }

        mutating func run() -> Result<Instant, ParseFailure> {
            var rest = value[...]
            func literal(_ l: String) -> Bool {
                let bytes = Array(l.utf8)
                guard rest.starts(with: bytes) else { return false }
                rest = rest.dropFirst(bytes.count)
                return true
            }
            // year
            guard rest.count >= 4, rest.prefix(4).allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                return .failure(cannotParse(rest, as: "2006"))
            }
            let year = Int(text(rest.prefix(4))) ?? 0
            rest = rest.dropFirst(4)
            guard literal("-") else { return .failure(cannotParse(rest, as: "-")) }
            var hold = rest
            guard let month = Self.number(&rest, fixed: true) else { return .failure(cannotParse(hold, as: "01")) }
            if month < 1 || month > 12 { return .failure(range("month")) }
            guard literal("-") else { return .failure(cannotParse(rest, as: "-")) }
            hold = rest
            guard let day = Self.number(&rest, fixed: true) else { return .failure(cannotParse(hold, as: "02")) }
            guard literal("T") else { return .failure(cannotParse(rest, as: "T")) }
            hold = rest
            guard let hour = Self.number(&rest, fixed: false) else { return .failure(cannotParse(hold, as: "15")) }
            if hour >= 24 { return .failure(range("hour")) }
            guard literal(":") else { return .failure(cannotParse(rest, as: ":")) }
            hold = rest
            guard let minute = Self.number(&rest, fixed: true) else { return .failure(cannotParse(hold, as: "04")) }
            if minute >= 60 { return .failure(range("minute")) }
            guard literal(":") else { return .failure(cannotParse(rest, as: ":")) }
            hold = rest
            guard let second = Self.number(&rest, fixed: true) else { return .failure(cannotParse(hold, as: "05")) }
            if second >= 60 { return .failure(range("second")) }
            var nanos = 0
            switch layout {
            case .rfc3339:
                // Go accepts fractional seconds the layout does not mention.
                if rest.count >= 2, rest.first == 46 || rest.first == 44, Self.isDigit(rest, 1) {
                    var n = 2
                    while Self.isDigit(rest, n) { n += 1 }
                    nanos = Self.nanoseconds(rest.prefix(n))
                    rest = rest.dropFirst(n)
                }
            case .rfc3339Micro:
                hold = rest
                guard rest.count >= 7, rest.first == 46 || rest.first == 44,
                      (1..<7).allSatisfy({ Self.isDigit(rest, $0) })
                else { return .failure(cannotParse(hold, as: ".000000")) }
                nanos = Self.nanoseconds(rest.prefix(7))
                rest = rest.dropFirst(7)
            }
            // zone
            var offset = 0
            hold = rest
            if rest.first == 90 {
                rest = rest.dropFirst()
            } else {
                guard rest.count >= 6, rest[rest.startIndex + 3] == 58 else { return .failure(cannotParse(hold, as: "Z07:00")) }
                let sign = rest[rest.startIndex]
                var hh = rest.dropFirst().prefix(2)
                var mm = rest.dropFirst(4).prefix(2)
                guard let oh = Self.number(&hh, fixed: true), let om = Self.number(&mm, fixed: true),
                      sign == 43 || sign == 45
                else { return .failure(cannotParse(hold, as: "Z07:00")) }
                if oh > 24 { return .failure(range("time zone offset hour")) }
                if om > 60 { return .failure(range("time zone offset minute")) }
                offset = (oh * 60 + om) * 60 * (sign == 45 ? -1 : 1)
                rest = rest.dropFirst(6)
            }
            if !rest.isEmpty {
                return .failure(ParseFailure(message: "parsing time \(GoJSONWriter.goQuote(original)): extra text: \(GoJSONWriter.goQuote(text(rest)))"))
            }
            if day < 1 || day > GoTime.daysIn(month: month, year: year) { return .failure(range("day")) }
            let days = GoTime.daysFromCivil(Int64(year), Int64(month), Int64(day))
            let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
            return .success(Instant(seconds: seconds, nanoseconds: nanos))
        }

        private static func nanoseconds(_ fraction: ArraySlice<UInt8>) -> Int {
            var digits = Array(fraction.dropFirst().prefix(9))
            while digits.count < 9 { digits.append(48) }
            return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
    }
}
