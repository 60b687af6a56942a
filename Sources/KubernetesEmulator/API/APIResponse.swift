import Foundation

/// A complete answer.
struct APIResponse: Sendable {
    var status: Int
    var contentType: String = "application/json"
    var warnings: [String] = []
    var headers: [(String, String)] = []
    var body: Data
}
