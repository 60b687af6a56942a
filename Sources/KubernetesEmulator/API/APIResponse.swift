import Foundation

/// A complete answer.
struct APIResponse: Sendable {
    /// The status.
    var status: Int
    /// The content type.
    var contentType: String = "application/json"
    /// The warnings.
    var warnings: [String] = []
    /// The headers.
    var headers: [(String, String)] = []
    /// The body.
    var body: Data
}
