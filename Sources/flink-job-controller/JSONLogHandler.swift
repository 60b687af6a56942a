import Foundation
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line: `timestamp`, `level`, `message`, `label`, then the
/// metadata (`reconcile.id`, `flinkjob.namespace`, `flinkjob.name`, `flink.job_id`, …) as string fields.
///
/// Written here because swift-log ships only a plain-text handler. Lines are written whole under a lock, so
/// concurrent log calls never interleave within a line.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level
    let label: String
    private let output: LogOutput

    init(label: String, level: Logger.Level, output: LogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { fields[key] = "\(value)" }
        fields["timestamp"] = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        fields["level"] = event.level.rawValue
        fields["message"] = "\(event.message)"
        fields["label"] = label
        if event.level >= .error { fields["source"] = "\(event.file):\(event.line)" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(fields) else { return }
        line.append(0x0A)
        output.write(line)
    }
}

/// Where log lines go (a file handle shared by every logger).
final class LogOutput: Sendable {
    static let standardError = LogOutput(FileHandle.standardError)

    private let handle: Mutex<FileHandle>

    init(_ handle: FileHandle) {
        self.handle = Mutex(handle)
    }

    func write(_ data: Data) {
        handle.withLock { $0.write(data) }
    }
}
