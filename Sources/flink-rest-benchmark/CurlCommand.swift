import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the `curl` command line tool once per call, as a shell script or an operator built on curl would.
struct CurlCommand: Sendable {
    /// The curl executable.
    let path: String

    /// Finds `curl` on `PATH`.
    static func find() throws(BenchmarkError) -> CurlCommand {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/curl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return CurlCommand(path: candidate) }
        }
        throw .curl("curl not found on PATH")
    }

    /// Times `count` runs of `curl -sS --fail -o /dev/null URL`, each from spawn to exit, on a thread of its own
    /// (the waits block; they must not hold a thread of the cooperative pool).
    func time(url: String, count: Int) async throws -> [Duration] {
        let path = self.path
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    var durations: [Duration] = []
                    durations.reserveCapacity(count)
                    let clock = ContinuousClock()
                    for _ in 0..<count {
                        let started = clock.now
                        try Self.run(path, ["-sS", "--fail", "-o", "/dev/null", url])
                        durations.append(clock.now - started)
                    }
                    continuation.resume(returning: durations)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    /// Spawns curl and waits for it; throws unless it exits 0.
    private static func run(_ path: String, _ arguments: [String]) throws(BenchmarkError) {
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, nil, nil, argv, environ)
        guard spawned == 0 else { throw .curl("posix_spawn: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var waited: pid_t
        repeat { waited = waitpid(pid, &status, 0) } while waited == -1 && errno == EINTR
        guard waited == pid, status == 0 else { throw .curl("exit status \(status) for \(arguments.last ?? "")") }
    }
}
