import Configuration
import Logging
import ServiceLifecycle
import Synchronization
import SystemPackage

/// The operator's log level, shared by every log handler so it can change while running (config file reload).
enum LogLevelControl {
    private static let current = Atomic<UInt8>(2)  // info
    private static let levels = Logger.Level.allCases

    static var level: Logger.Level {
        get { levels[Int(current.load(ordering: .relaxed))] }
        set { current.store(UInt8(levels.firstIndex(of: newValue) ?? 2), ordering: .relaxed) }
    }
}

/// Forwards to `base` but takes the log level from `LogLevelControl`, unless code set a level on this particular
/// logger (e.g. a library quieting its transport), which then stays fixed for that logger.
struct DynamicLevelHandler<Base: LogHandler>: LogHandler {
    var base: Base
    private var fixedLevel: Logger.Level?

    init(base: Base) {
        self.base = base
    }

    var logLevel: Logger.Level {
        get { fixedLevel ?? LogLevelControl.level }
        set { fixedLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}

/// Re-reads the config file when it changes (polling) and applies the keys that are safe to change at run time:
/// `log.level`. Environment variables and flags keep their precedence (a level set there is not overridden).
struct ConfigReloader: Service {
    let provider: ReloadingFileProvider<YAMLSnapshot>
    let environment: [String: String]
    let logger: Logger

    static func make(configFile: String, environment: [String: String], logger: Logger) async throws -> ConfigReloader {
        ConfigReloader(
            provider: try await ReloadingFileProvider<YAMLSnapshot>(
                filePath: FilePath(configFile), pollInterval: .seconds(10), logger: logger),
            environment: environment, logger: logger)
    }

    func run() async throws {
        // The file watch and the value watch run until graceful shutdown, then stop at once.
        try await cancelWhenGracefulShutdown { try await watch() }
    }

    private func watch() async throws {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ["fjc"]), provider,
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await provider.run() }
            group.addTask {
                try await reader.watchString(forKey: "log.level", default: LogLevelControl.level.rawValue) { updates in
                    for await text in updates {
                        guard let level = Logger.Level(rawValue: text.lowercased()), level != LogLevelControl.level else { continue }
                        LogLevelControl.level = level
                        // At least at the new threshold, so the change itself is always in the log.
                        logger.log(level: max(level, .notice), "Log level changed by the config file", metadata: ["log.level": "\(level)"])
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
