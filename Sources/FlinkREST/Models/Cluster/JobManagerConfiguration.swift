/// The JobManager's effective configuration, `GET /jobmanager/config` (a list of key/value pairs).
///
/// Sensitive values (passwords, secrets) are masked by Flink.
public struct JobManagerConfiguration: Codable, Hashable, Sendable {
    /// Every key with its value as Flink prints it.
    public var entries: [String: String]

    /// Creates a configuration from key/value pairs.
    public init(entries: [String: String]) {
        self.entries = entries
    }

    /// The value of `key`, or `nil` when not set.
    public subscript(key: String) -> String? {
        entries[key]
    }

    /// The `jobmanager.scheduler` setting; `nil` means Flink's default scheduler.
    public var scheduler: String? {
        entries["jobmanager.scheduler"]
    }

    /// Whether streaming jobs run on the adaptive scheduler, the only one that rescales a running job in place
    /// (`PUT /jobs/:id/resource-requirements`).
    public var usesAdaptiveScheduler: Bool {
        scheduler?.lowercased() == "adaptive"
    }

    private struct Entry: Codable {
        var key: String
        var value: String?
    }

    public init(from decoder: any Decoder) throws {
        let list = try [Entry](from: decoder)
        var entries: [String: String] = [:]
        for entry in list { entries[entry.key] = entry.value ?? "" }
        self.entries = entries
    }

    public func encode(to encoder: any Encoder) throws {
        try entries.keys.sorted().map { Entry(key: $0, value: entries[$0]) }.encode(to: encoder)
    }
}
