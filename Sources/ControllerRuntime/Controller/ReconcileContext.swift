import Logging

/// What a reconcile knows besides the object: its ID, a logger carrying that ID, and how often the key failed.
public struct ReconcileContext: Sendable {
    /// A random ID of this reconcile, also in the logger metadata as `reconcile.id`.
    public let id: String
    /// The key being reconciled.
    public let key: ObjectKey
    /// The controller's name.
    public let controller: String
    /// A logger with `reconcile.id`, `<kind>.namespace` and `<kind>.name` set.
    public var logger: Logger
    /// How many failed attempts in a row this key has had (0 on a first try or after a success).
    public let retries: Int

    /// A context with the given values.
    public init(id: String, key: ObjectKey, controller: String, logger: Logger, retries: Int) {
        self.id = id
        self.key = key
        self.controller = controller
        self.logger = logger
        self.retries = retries
    }

    /// A new random reconcile ID (16 hex digits).
    public static func makeID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
