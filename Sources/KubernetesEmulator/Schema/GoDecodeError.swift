import Foundation
import JSONCore

/// A Go decoding failure, carrying Go's message.
struct GoDecodeError: Error, Sendable {
    /// The message.
    var message: String
}
