/// How a job ended, from its execution result (`application-status`).
public struct ApplicationStatus: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    /// The status name.
    public var rawValue: String

    /// Wraps a status name (upper-cased).
    public init(rawValue: String) {
        self.rawValue = rawValue.uppercased()
    }

    /// The job finished successfully.
    public static let succeeded = ApplicationStatus(rawValue: "SUCCEEDED")
    /// The job failed.
    public static let failed = ApplicationStatus(rawValue: "FAILED")
    /// The job was cancelled.
    public static let canceled = ApplicationStatus(rawValue: "CANCELED")
    /// Flink does not know.
    public static let unknown = ApplicationStatus(rawValue: "UNKNOWN")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
