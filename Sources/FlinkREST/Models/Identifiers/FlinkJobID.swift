import Foundation

/// A Flink job id: 32 lowercase hex digits (Flink's `JobID`).
///
/// Chosen by the client and passed as `jobId` when running a jar, a job id makes submission idempotent: Flink
/// refuses a second submission under the same id (`FlinkRESTError.duplicateJob`).
public struct FlinkJobID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 32 lowercase hex digits.
    public let hexString: String

    /// Parses 32 hex digits (either case); `nil` for anything else.
    public init?(_ hexString: String) {
        guard let canonical = HexIdentifier.canonical(hexString) else { return nil }
        self.hexString = canonical
    }

    /// The id holding a UUID's 128 bits, e.g. one derived deterministically from a resource's UID.
    public init(uuid: UUID) {
        hexString = HexIdentifier.fromUUID(uuid)
    }

    /// A new random id.
    public static func random() -> FlinkJobID {
        FlinkJobID(uuid: UUID())
    }

    public var description: String { hexString }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = FlinkJobID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a Flink job id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexString)
    }
}
