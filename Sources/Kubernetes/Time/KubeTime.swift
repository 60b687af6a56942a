import Foundation

/// A `metav1.Time`: an instant with whole-second precision, written as RFC 3339 in UTC (`2024-05-01T10:00:00Z`).
///
/// Reading is lenient (fractional seconds are dropped, any offset is converted to UTC); writing always produces
/// the server's own form, so a value read and written back compares equal.
public struct KubeTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    /// The instant `secondsSince1970` seconds after the Unix epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// The given date, truncated to the whole second (towards the past).
    public init(_ date: Date) {
        secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// The current time, truncated to the second.
    public static func now() -> KubeTime { KubeTime(Date()) }

    /// Parses RFC 3339 text with any fractional precision and offset; `nil` when it is not a timestamp.
    public init?(rfc3339 text: String) {
        guard let instant = RFC3339.parse(text) else { return nil }
        secondsSince1970 = instant.seconds
    }

    /// The instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// The API form: `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        RFC3339.format(seconds: secondsSince1970, nanoseconds: 0, fractionDigits: 0)
    }

    public static func < (lhs: KubeTime, rhs: KubeTime) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = KubeTime(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text.prefix(64))\" is not an RFC 3339 timestamp")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
