import Foundation

/// A `metav1.MicroTime`: an instant with microsecond precision, used by Leases and events.k8s.io Events.
///
/// Written as RFC 3339 in UTC with **exactly six** fractional digits (`2024-05-01T10:00:05.654321Z`): a real
/// kube-apiserver refuses any other precision on write. Reading accepts any precision (extra digits are
/// truncated) and any offset.
public struct MicroTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSince1970: Int64

    /// The instant `microsecondsSince1970` microseconds after the Unix epoch.
    public init(microsecondsSince1970: Int64) {
        self.microsecondsSince1970 = microsecondsSince1970
    }

    /// The given date, truncated to the microsecond (towards the past).
    public init(_ date: Date) {
        microsecondsSince1970 = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The current time with microsecond precision.
    public static func now() -> MicroTime { MicroTime(Date()) }

    /// Parses RFC 3339 text with any fractional precision and offset; `nil` when it is not a timestamp.
    public init?(rfc3339 text: String) {
        guard let instant = RFC3339.parse(text) else { return nil }
        microsecondsSince1970 = instant.seconds * 1_000_000 + instant.nanoseconds / 1000
    }

    /// The instant as a `Date` (a `Double`; may be off by well under a microsecond).
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(microsecondsSince1970) / 1_000_000) }

    /// The same instant with whole-second precision (towards the past).
    public var kubeTime: KubeTime { KubeTime(secondsSince1970: Self.floorDivide(microsecondsSince1970).seconds) }

    /// The API form: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fractional digits.
    public var description: String {
        let (seconds, micros) = Self.floorDivide(microsecondsSince1970)
        return RFC3339.format(seconds: seconds, nanoseconds: micros * 1000, fractionDigits: 6)
    }

    /// This instant moved by a duration (truncated to microseconds).
    public func adding(_ duration: Duration) -> MicroTime {
        let (seconds, attoseconds) = duration.components
        return MicroTime(microsecondsSince1970: microsecondsSince1970 + seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool {
        lhs.microsecondsSince1970 < rhs.microsecondsSince1970
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = MicroTime(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text.prefix(64))\" is not an RFC 3339 timestamp")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Splits microseconds into seconds and a non-negative remainder (so pre-1970 instants format correctly).
    private static func floorDivide(_ micros: Int64) -> (seconds: Int64, micros: Int64) {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        return (seconds, micros - seconds * 1_000_000)
    }
}
