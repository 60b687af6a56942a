/// How strongly a vertex is backpressured: `ok` (ratio ≤ 0.1), `low` (≤ 0.5) or `high`.
public struct BackpressureLevel: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    /// The level's name, lowercase.
    public var rawValue: String

    /// Wraps a level name (lower-cased).
    public init(rawValue: String) {
        self.rawValue = rawValue.lowercased()
    }

    /// Not backpressured.
    public static let ok = BackpressureLevel(rawValue: "ok")
    /// Somewhat backpressured.
    public static let low = BackpressureLevel(rawValue: "low")
    /// Backpressured most of the time.
    public static let high = BackpressureLevel(rawValue: "high")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
