import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The leader lock of local mode: an exclusive `flock` on `<state>.lock`, held for the life of the process.
///
/// The kernel releases the lock when the process ends in any way (also `kill -9`), so a crashed holder never
/// blocks the next start. The file also records the holder's pid, host and start time for the message a second
/// instance prints.
public final class StateLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock of the state file `statePath`.
    ///
    /// - Throws: `LocalModeError.stateLocked` naming the holder when another process holds it;
    ///   `.stateDatabase` when the lock file cannot be opened.
    public init(statePath: String) throws(LocalModeError) {
        path = statePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .stateDatabase(path: path, underlying: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw .stateLocked(path: statePath, holder: holder.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown process")
        }
        self.descriptor = descriptor
        let host = ProcessInfo.processInfo.hostName
        let record = "pid \(getpid()) on \(host) since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Who holds the lock of `statePath` now, or `nil` when nobody does (for `status`).
    public static func holder(statePath: String) -> String? {
        let path = statePath + ".lock"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Releases the lock.
    public func release() {
        flock(descriptor, LOCK_UN)
    }

    deinit {
        close(descriptor)
    }
}
