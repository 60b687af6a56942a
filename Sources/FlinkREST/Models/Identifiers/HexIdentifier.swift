import Foundation

/// Validation and generation of Flink's 128-bit identifiers (job ids, trigger ids): 32 lowercase hex digits.
enum HexIdentifier {
    /// The canonical (lowercase) form of `text` if it is exactly 32 hex digits, else `nil`.
    static func canonical(_ text: String) -> String? {
        guard text.utf8.count == 32 else { return nil }
        let lowered = text.lowercased()
        guard lowered.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return nil
        }
        return lowered
    }

    /// The 32 hex digits of a UUID's 128 bits (dashes removed, lowercase).
    static func fromUUID(_ uuid: UUID) -> String {
        uuid.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}
