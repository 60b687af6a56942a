import Foundation

/// The id of an asynchronous Flink operation (savepoint, stop-with-savepoint, savepoint disposal): 32 lowercase
/// hex digits, Flink's `TriggerId`.
///
/// A trigger id chosen by the client makes triggering a savepoint or a stop idempotent: Flink answers a repeated
/// request carrying the same id with the same operation instead of starting a second one.
public struct FlinkTriggerID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 32 lowercase hex digits.
    public let hexString: String

    /// Parses 32 hex digits (either case); `nil` for anything else.
    public init?(_ hexString: String) {
        guard let canonical = HexIdentifier.canonical(hexString) else { return nil }
        self.hexString = canonical
    }

    /// The id holding a UUID's 128 bits.
    public init(uuid: UUID) {
        hexString = HexIdentifier.fromUUID(uuid)
    }

    /// A new random id.
    public static func random() -> FlinkTriggerID {
        FlinkTriggerID(uuid: UUID())
    }

    public var description: String { hexString }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = FlinkTriggerID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a Flink trigger id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexString)
    }
}
