import Foundation

/// A standard 5-field cron schedule (`minute hour day-of-month month day-of-week`) or an `@`-macro, evaluated in
/// an IANA time zone.
///
/// Written here because none of the Swift packages available to this project parses cron. The grammar is the one
/// Kubernetes CronJob accepts: `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month names
/// `JAN`–`DEC`, weekday names `SUN`–`SAT`, weekday `7` = Sunday, `?` = `*`, `L` in the day-of-month field for the
/// last day of the month (an extension many cron dialects share; standard fields cannot say it), and the macros `@yearly`
/// (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`), `@hourly`. When both day fields are restricted a
/// day matches if either matches (Vixie cron); when one is `*` only the other counts.
///
/// Daylight-saving time, the way the controller promises it: a local time that does not exist (spring forward)
/// fires **once**, at the instant the gap ends; a local time that happens twice (fall back) fires **once**, at its
/// first occurrence.
public struct CronSchedule: Sendable, Hashable {
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday.
    let daysOfWeek: Set<Int>
    /// `L`: the last day of each month.
    let lastDayOfMonth: Bool
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool
    /// The time zone local times are read in.
    public let timeZone: TimeZone

    /// Parses `expression` for `timeZone` (an IANA name; `nil` means UTC).
    ///
    /// - Throws: `CronError` naming the bad field or time zone.
    public init(_ expression: String, timeZone name: String? = nil) throws {
        guard let zone = name.map({ TimeZone(identifier: $0) }) ?? TimeZone(identifier: "UTC") else {
            throw CronError.unknownTimeZone(name ?? "")
        }
        timeZone = zone
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        let fields: [String]
        if trimmed.hasPrefix("@") {
            switch trimmed.lowercased() {
            case "@yearly", "@annually": fields = ["0", "0", "1", "1", "*"]
            case "@monthly": fields = ["0", "0", "1", "*", "*"]
            case "@weekly": fields = ["0", "0", "*", "*", "0"]
            case "@daily", "@midnight": fields = ["0", "0", "*", "*", "*"]
            case "@hourly": fields = ["0", "*", "*", "*", "*"]
            default: throw CronError.unknownMacro(trimmed)
            }
        } else {
            fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 5 else { throw CronError.fieldCount(fields.count) }
        }
        minutes = try Self.parseField(fields[0], name: "minute", range: 0...59, names: [:])
        hours = try Self.parseField(fields[1], name: "hour", range: 0...23, names: [:])
        let dayOfMonthParts = fields[2].split(separator: ",").map(String.init)
        lastDayOfMonth = dayOfMonthParts.contains { $0.uppercased() == "L" }
        let otherDays = dayOfMonthParts.filter { $0.uppercased() != "L" }
        daysOfMonth = otherDays.isEmpty
            ? [] : try Self.parseField(otherDays.joined(separator: ","), name: "day of month", range: 1...31, names: [:])
        months = try Self.parseField(fields[3], name: "month", range: 1...12, names: Self.monthNames)
        let weekdays = try Self.parseField(fields[4], name: "day of week", range: 0...7, names: Self.weekdayNames)
        daysOfWeek = Set(weekdays.map { $0 % 7 })
        dayOfMonthRestricted = !(fields[2].hasPrefix("*") || fields[2] == "?")
        dayOfWeekRestricted = !(fields[4].hasPrefix("*") || fields[4] == "?")
    }

    static let monthNames = [
        "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
        "NOV": 11, "DEC": 12,
    ]
    static let weekdayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]

    static func parseField(_ text: String, name: String, range: ClosedRange<Int>, names: [String: Int]) throws
        -> Set<Int>
    {
        func value(_ token: Substring) throws -> Int {
            if let number = Int(token), range.contains(number) { return number }
            if let named = names[token.uppercased()] { return named }
            throw CronError.badField(name: name, value: text)
        }
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else {
                throw CronError.badField(name: name, value: text)
            }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw CronError.badField(name: name, value: text) }
                step = parsed
            }
            let lower: Int
            let upper: Int
            if base == "*" || base == "?" {
                lower = range.lowerBound
                upper = range.upperBound
            } else if let dash = base.firstIndex(of: "-") {
                lower = try value(base[..<dash])
                upper = try value(base[base.index(after: dash)...])
                guard lower <= upper else { throw CronError.badField(name: name, value: text) }
            } else {
                lower = try value(base)
                // `5/15` means "from 5 every 15", as in Vixie cron.
                upper = pieces.count == 2 ? range.upperBound : lower
            }
            result.formUnion(stride(from: lower, through: upper, by: step))
        }
        return result
    }

    // MARK: - Next time

    /// The first instant strictly after `date` at which the schedule fires, or `nil` if none within ten years.
    public func next(after date: Date) -> Date? {
        let afterSeconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var wall = WallTime(localSecondsSinceEpoch: afterSeconds + Int64(timeZone.secondsFromGMT(for: date)))
        wall = wall.addingMinutes(1)
        let limitYear = wall.year + 10
        while wall.year <= limitYear {
            guard months.contains(wall.month) else {
                wall = wall.firstOfNextMonth()
                continue
            }
            guard dayMatches(wall) else {
                wall = wall.startOfNextDay()
                continue
            }
            guard hours.contains(wall.hour) else {
                wall = wall.startOfNextHour()
                continue
            }
            guard minutes.contains(wall.minute) else {
                wall = wall.addingMinutes(1)
                continue
            }
            let instant = resolve(wall)
            if instant > afterSeconds { return Date(timeIntervalSince1970: TimeInterval(instant)) }
            wall = wall.addingMinutes(1)
        }
        return nil
    }

    /// The firing instants in `(start, end]` a controller that was away must account for: the newest one, and how
    /// many there were (exact up to `limit`; beyond it `count` is `limit` and `exact` is false).
    ///
    /// The newest is found however long the gap: when more than `limit` instants passed, it is searched in windows
    /// ending at `end`, doubled until one holds an instant (a per-minute schedule after a year away costs one
    /// hour-long window, not half a million steps).
    public func due(after start: Date, through end: Date, limit: Int = 1000) -> (latest: Date?, count: Int, exact: Bool) {
        let first = times(after: start, through: end, limit: limit)
        guard first.count == limit, let last = first.last, last < end else { return (first.last, first.count, true) }
        var window: TimeInterval = 3600
        while true {
            let from = max(last, end.addingTimeInterval(-window))
            if let latest = times(after: from, through: end, limit: .max).last { return (latest, limit, false) }
            if from == last { return (last, limit, false) }
            window *= 2
        }
    }

    /// Every firing instant in `(start, end]`, oldest first, at most `limit` of them.
    public func times(after start: Date, through end: Date, limit: Int = 1000) -> [Date] {
        var result: [Date] = []
        var cursor = start
        while result.count < limit, let next = next(after: cursor), next <= end {
            result.append(next)
            cursor = next
        }
        return result
    }

    func dayMatches(_ wall: WallTime) -> Bool {
        let domMatch = daysOfMonth.contains(wall.day) || (lastDayOfMonth && wall.isLastDayOfMonth)
        let dowMatch = daysOfWeek.contains(wall.weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return domMatch || dowMatch }
        return domMatch && dowMatch
    }

    /// The instant (seconds since 1970) a local wall time denotes: its first occurrence when repeated, the end of
    /// the gap when it does not exist.
    func resolve(_ wall: WallTime) -> Int64 {
        let local = wall.localSecondsSinceEpoch
        let offsets = Set([-86_400, 0, 86_400].map {
            Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local + Int64($0)))))
        })
        let valid = offsets.map { local - $0 }.filter {
            Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0)))) == local - $0
        }
        if let first = valid.min() { return first }
        // In a gap: the first instant whose local time is later than the missing one is the transition itself.
        let before = Date(timeIntervalSince1970: TimeInterval(local - (offsets.max() ?? 0) - 1))
        if let transition = timeZone.nextDaylightSavingTimeTransition(after: before.addingTimeInterval(-86_400)),
            Int64(transition.timeIntervalSince1970) <= local - (offsets.min() ?? 0)
        {
            return Int64(transition.timeIntervalSince1970)
        }
        return local - (offsets.min() ?? 0)
    }
}

/// Why a cron schedule was refused.
public enum CronError: Error, Sendable, Equatable, CustomStringConvertible {
    case fieldCount(Int)
    case badField(name: String, value: String)
    case unknownMacro(String)
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .fieldCount(let count): "a cron schedule has 5 fields (minute hour day-of-month month day-of-week), not \(count)"
        case .badField(let name, let value): "invalid \(name) field \"\(value)\""
        case .unknownMacro(let macro): "unknown schedule macro \"\(macro)\" (use @yearly, @monthly, @weekly, @daily or @hourly)"
        case .unknownTimeZone(let name): "unknown time zone \"\(name)\" (use an IANA name such as Europe/Berlin)"
        }
    }
}

/// A local calendar time to the minute, with proleptic Gregorian arithmetic that knows nothing of time zones.
struct WallTime: Hashable, Comparable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The wall time of "local seconds since 1970" (seconds are dropped).
    init(localSecondsSinceEpoch seconds: Int64) {
        let days = Int(floorDivide(seconds, 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60)
    }

    var localSecondsSinceEpoch: Int64 {
        Int64(Self.days(fromCivil: year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60)
    }

    /// 0 = Sunday … 6 = Saturday.
    var weekday: Int {
        let days = Self.days(fromCivil: year, month, day)
        return ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4).
    }

    var isLastDayOfMonth: Bool {
        WallTime(localSecondsSinceEpoch: Int64(Self.days(fromCivil: year, month, day) + 1) * 86_400).month != month
    }

    func addingMinutes(_ count: Int) -> WallTime {
        WallTime(localSecondsSinceEpoch: localSecondsSinceEpoch + Int64(count * 60))
    }

    func startOfNextHour() -> WallTime {
        WallTime(localSecondsSinceEpoch: localSecondsSinceEpoch - Int64(minute * 60) + 3600)
    }

    func startOfNextDay() -> WallTime {
        WallTime(localSecondsSinceEpoch: Int64(Self.days(fromCivil: year, month, day) + 1) * 86_400)
    }

    func firstOfNextMonth() -> WallTime {
        month == 12
            ? WallTime(year: year + 1, month: 1, day: 1, hour: 0, minute: 0)
            : WallTime(year: year, month: month + 1, day: 1, hour: 0, minute: 0)
    }

    static func < (lhs: WallTime, rhs: WallTime) -> Bool {
        lhs.localSecondsSinceEpoch < rhs.localSecondsSinceEpoch
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of days since 1970-01-01.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
