import Foundation
import JSONCore

/// A Go decoding failure, carrying Go's message.
struct GoDecodeError: Error, Sendable {
    var message: String
}
