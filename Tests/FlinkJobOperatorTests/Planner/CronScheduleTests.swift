import FlinkREST
import Foundation
import Testing

@testable import FlinkJobOperator

@Suite struct CronScheduleTests {
    private func date(_ text: String) -> Date { (try? Date(text, strategy: .iso8601)) ?? .distantPast }
    private static func text(_ date: Date) -> String { date.formatted(.iso8601) }

    struct Case: CustomTestStringConvertible, Sendable {
        var schedule: String
        var zone: String?
        var after: String
        var expected: [String]
        var testDescription: String { "\(schedule) in \(zone ?? "UTC") after \(after)" }
    }

    @Test(arguments: [
        Case(schedule: "*/15 * * * *", zone: nil, after: "2026-03-01T12:07:00Z",
             expected: ["2026-03-01T12:15:00Z", "2026-03-01T12:30:00Z"]),
        Case(schedule: "5/15 * * * *", zone: nil, after: "2026-03-01T12:00:00Z",
             expected: ["2026-03-01T12:05:00Z", "2026-03-01T12:20:00Z", "2026-03-01T12:35:00Z", "2026-03-01T12:50:00Z", "2026-03-01T13:05:00Z"]),
        Case(schedule: "0 9 * * MON-FRI", zone: "Europe/Berlin", after: "2026-03-06T09:00:00Z",
             expected: ["2026-03-09T08:00:00Z", "2026-03-10T08:00:00Z"]),
        Case(schedule: "0 0 * * 7", zone: nil, after: "2026-03-01T00:00:00Z", expected: ["2026-03-08T00:00:00Z"]),
        Case(schedule: "0 0 13 * FRI", zone: nil, after: "2026-03-01T00:00:00Z",
             expected: ["2026-03-06T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00Z"]),
        // Europe/Berlin spring forward, 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist and fires once, at 03:00.
        Case(schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-28T12:00:00Z",
             expected: ["2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"]),
        // Every 15 minutes across the gap: one firing for the whole missing hour, then on schedule.
        Case(schedule: "*/15 * * * *", zone: "Europe/Berlin", after: "2026-03-29T00:40:00Z",
             expected: ["2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z"]),
        // Europe/Berlin fall back, 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens twice and fires once.
        Case(schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-24T12:00:00Z",
             expected: ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]),
        // America/New_York spring forward, 2026-03-08 02:00 EST → 03:00 EDT.
        Case(schedule: "*/30 * * * *", zone: "America/New_York", after: "2026-03-08T06:00:00Z",
             expected: ["2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"]),
        Case(schedule: "15 2 * * *", zone: "America/New_York", after: "2026-03-07T12:00:00Z",
             expected: ["2026-03-08T07:00:00Z", "2026-03-09T06:15:00Z"]),
        // America/New_York fall back, 2026-11-01 02:00 EDT → 01:00 EST: the repeated 01:xx fire once.
        Case(schedule: "*/30 * * * *", zone: "America/New_York", after: "2026-11-01T04:15:00Z",
             expected: ["2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z"]),
        Case(schedule: "0 1 * * *", zone: "America/New_York", after: "2026-10-31T12:00:00Z",
             expected: ["2026-11-01T05:00:00Z", "2026-11-02T06:00:00Z"]),
        // Feb 29 only in leap years.
        Case(schedule: "0 0 29 2 *", zone: nil, after: "2026-03-01T00:00:00Z",
             expected: ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]),
        // Last day of the month.
        Case(schedule: "0 0 L * *", zone: nil, after: "2026-02-10T00:00:00Z",
             expected: ["2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"]),
        Case(schedule: "0 0 L * *", zone: nil, after: "2028-02-10T00:00:00Z", expected: ["2028-02-29T00:00:00Z"]),
        Case(schedule: "0 0 31 * *", zone: nil, after: "2026-04-01T00:00:00Z",
             expected: ["2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"]),
        Case(schedule: "@hourly", zone: nil, after: "2026-03-01T12:00:00Z", expected: ["2026-03-01T13:00:00Z"]),
        Case(schedule: "@daily", zone: "Europe/Berlin", after: "2026-03-01T12:00:00Z", expected: ["2026-03-01T23:00:00Z"]),
        Case(schedule: "@weekly", zone: nil, after: "2026-03-01T12:00:00Z", expected: ["2026-03-08T00:00:00Z"]),
        Case(schedule: "@monthly", zone: nil, after: "2026-03-01T12:00:00Z", expected: ["2026-04-01T00:00:00Z"]),
        Case(schedule: "@yearly", zone: nil, after: "2026-03-01T12:00:00Z", expected: ["2027-01-01T00:00:00Z"]),
        Case(schedule: "0 12 * JAN,jul *", zone: nil, after: "2026-03-01T00:00:00Z", expected: ["2026-07-01T12:00:00Z"]),
    ])
    func nextTimesFollowTheSchedule(_ c: Case) throws {
        let schedule = try CronSchedule(c.schedule, timeZone: c.zone)
        var cursor = date(c.after)
        var got: [String] = []
        for _ in c.expected {
            guard let next = schedule.next(after: cursor) else { break }
            got.append(Self.text(next))
            cursor = next
        }
        #expect(got == c.expected)
    }

    @Test func theNewestDueTimeIsFoundAfterAnyGap() throws {
        let everyMinute = try CronSchedule("* * * * *")
        let long = everyMinute.due(after: date("2025-12-01T00:00:00Z"), through: date("2026-03-01T12:30:30Z"))
        #expect(long.latest.map { Self.text($0) } == "2026-03-01T12:30:00Z")
        #expect(long.count == 1000 && !long.exact)
        let short = everyMinute.due(after: date("2026-03-01T12:00:00Z"), through: date("2026-03-01T12:30:30Z"))
        #expect(short.latest.map { Self.text($0) } == "2026-03-01T12:30:00Z")
        #expect(short.count == 30 && short.exact)
        // A sparse schedule whose newest time is months before the end: the windows keep doubling back to it.
        let yearly = try CronSchedule("0 0 1 1 *")
        let sparse = yearly.due(after: date("2000-01-01T00:00:00Z"), through: date("2026-03-01T12:30:30Z"), limit: 3)
        #expect(sparse.latest.map { Self.text($0) } == "2026-01-01T00:00:00Z")
        #expect(sparse.count == 3 && !sparse.exact)
        #expect(yearly.due(after: date("2026-02-01T00:00:00Z"), through: date("2026-03-01T00:00:00Z")).latest == nil)
    }

    @Test func timesBetweenListsEveryFiringOnce() throws {
        let schedule = try CronSchedule("*/10 * * * *")
        let times = schedule.times(after: date("2026-03-01T12:00:00Z"), through: date("2026-03-01T12:30:00Z"))
        #expect(times.map { Self.text($0) } == ["2026-03-01T12:10:00Z", "2026-03-01T12:20:00Z", "2026-03-01T12:30:00Z"])
    }

    @Test(arguments: [
        ("* * * *", CronError.fieldCount(4)),
        ("60 * * * *", CronError.badField(name: "minute", value: "60")),
        ("* 24 * * *", CronError.badField(name: "hour", value: "24")),
        ("* * 0 * *", CronError.badField(name: "day of month", value: "0")),
        ("* * * 13 *", CronError.badField(name: "month", value: "13")),
        ("* * * * MON-XYZ", CronError.badField(name: "day of week", value: "MON-XYZ")),
        ("*/0 * * * *", CronError.badField(name: "minute", value: "*/0")),
        ("5-1 * * * *", CronError.badField(name: "minute", value: "5-1")),
        ("@never", CronError.unknownMacro("@never")),
    ])
    func malformedSchedulesAreRefusedWithTheField(_ expression: String, _ error: CronError) {
        #expect(throws: error) { try CronSchedule(expression) }
    }

    @Test func unknownTimeZoneIsRefused() {
        #expect(throws: CronError.unknownTimeZone("Mars/Olympus")) { try CronSchedule("* * * * *", timeZone: "Mars/Olympus") }
    }
}
