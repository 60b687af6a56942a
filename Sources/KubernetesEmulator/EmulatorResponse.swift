import Foundation
import JSONCore

/// The answer to an in-process request.
public struct EmulatorResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The raw body.
    public var data: Data
    /// Warning texts (what `Warning: 299 - "…"` headers would carry).
    public var warnings: [String]

    /// The body as JSON, when it is JSON.
    public var body: JSONValue? { try? JSONValue(parsing: data) }

    /// The Status message (or the plain body).
    public var message: String {
        body?["message"]?.stringValue ?? String(decoding: data, as: UTF8.self)
    }
}
