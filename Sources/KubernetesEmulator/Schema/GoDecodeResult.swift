import Foundation
import JSONCore

/// What decoding a body into a built-in type found.
struct GoDecodeResult: Sendable {
    /// The normalised value (times in UTC, unknown members removed, `null`s of value fields removed).
    var value: JSONValue
    /// Paths of unknown members (`spec.colour`), sorted.
    var unknownFields: [String]
}
