import Foundation

/// Everything that can go wrong in local mode; each case names the failing step and carries the cause.
public enum LocalModeError: Error, Sendable, CustomStringConvertible {
    /// The state database could not be opened, migrated or written.
    case stateDatabase(path: String, underlying: String)
    /// Another local operator holds the state file's lock.
    case stateLocked(path: String, holder: String)
    /// A manifest directory does not exist or cannot be read.
    case manifestDirectory(path: String, reason: String)
    /// inotify could not be set up.
    case fileWatch(path: String, errno: Int32)
    /// A stored object could not be encoded or decoded.
    case storedObject(key: String, underlying: String)

    public var description: String {
        switch self {
        case .stateDatabase(let path, let underlying): "state database \(path): \(underlying)"
        case .stateLocked(let path, let holder):
            "another flink-job-controller (\(holder)) is already running on the state file \(path); "
                + "stop it first, or use another --state FILE"
        case .manifestDirectory(let path, let reason): "manifest directory \(path): \(reason)"
        case .fileWatch(let path, let code): "cannot watch \(path): \(String(cString: strerror(code)))"
        case .storedObject(let key, let underlying): "stored object \(key): \(underlying)"
        }
    }
}
