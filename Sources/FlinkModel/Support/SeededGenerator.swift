import FlinkREST

/// A deterministic pseudo-random generator (SplitMix64): equal seeds give equal sequences on every platform and in
/// every process.
///
/// The model and the fault decorator draw every id and every random choice from one of these, never from `UUID()`
/// or the system generator, so a run is reproducible from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// `true` with probability `probability` (below 0 never, above 1 always), from 53 random bits.
    ///
    /// Draws exactly one number whatever the probability, so adding or removing a rule with probability 0 or 1 does
    /// not shift the sequence of later draws.
    public mutating func chance(_ probability: Double) -> Bool {
        let unit = Double(next() >> 11) * 0x1.0p-53
        return unit < probability
    }

    /// `count` lowercase hex digits.
    mutating func hexDigits(_ count: Int) -> String {
        var text = ""
        text.reserveCapacity(count + 16)
        while text.utf8.count < count {
            let word = String(next(), radix: 16)
            text += String(repeating: "0", count: 16 - word.utf8.count) + word
        }
        return String(text.prefix(count))
    }

    /// A new job id.
    mutating func jobID() -> FlinkJobID {
        // 32 hex digits always parse.
        FlinkJobID(hexDigits(32))!
    }

    /// A new trigger id.
    mutating func triggerID() -> FlinkTriggerID {
        // 32 hex digits always parse.
        FlinkTriggerID(hexDigits(32))!
    }

    /// A version-4 UUID in its lowercase `8-4-4-4-12` text form, like the prefix of Flink's jar ids.
    mutating func uuidString() -> String {
        let hex = Array(hexDigits(30))
        let variant = ["8", "9", "a", "b"][Int(next() % 4)]
        let groups = [
            String(hex[0..<8]), String(hex[8..<12]), "4" + String(hex[12..<15]),
            variant + String(hex[15..<18]), String(hex[18..<30]),
        ]
        return groups.joined(separator: "-")
    }
}
