import Foundation

/// One request the emulator answered, for tests that assert exactly what a client did.
public struct RequestLogEntry: Sendable, Equatable {
    /// The HTTP method.
    public var method: String
    /// The path without the query.
    public var path: String
    /// Query parameters (first value of each name).
    public var query: [String: String]
    /// The authenticated user (`system:anonymous` without a token, empty for an unknown token).
    public var user: String
    /// The HTTP status answered (200 for watches, whatever they later streamed).
    public var status: Int
    /// The Kubernetes verb (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, …), empty for other paths.
    public var verb: String
    /// When the request arrived.
    public var time: Date
}
