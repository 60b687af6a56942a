import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `scripts/flink-session.sh` of this repository without blocking a thread of the cooperative pool.
enum FlinkSessionScript {
    /// What a finished run printed.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The repository root: three levels above this file (`Sources/FlinkTestSupport/<file>`).
    static func repositoryRoot(filePath: String = #filePath) throws(FlinkTestSupportError) -> URL {
        // Symlinks resolved: instance state is keyed by the physical path of the repository.
        let root = URL(fileURLWithPath: filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/flink-session.sh").path
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw .repositoryNotFound("no executable \(script) (derived from \(filePath))")
        }
        return root
    }

    /// Runs the script with `arguments`; throws `scriptFailed` with its messages on a non-zero exit.
    static func run(_ arguments: [String]) async throws -> Output {
        let root = try repositoryRoot()
        let command = "scripts/flink-session.sh " + arguments.joined(separator: " ")
        let output = try await runProcess(
            executable: root.appendingPathComponent("scripts/flink-session.sh").path,
            arguments: arguments
        )
        guard output.status == 0 else {
            throw FlinkTestSupportError.scriptFailed(
                command: command,
                status: output.status,
                output: (output.stderr + output.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }
        return output
    }

    /// Runs a program to completion, output captured in temporary files (pipes could fill up and block the
    /// child while nobody reads them).
    ///
    /// Spawned with `posix_spawn` and reaped by `waitpid` on a thread of its own: Foundation's `Process` left
    /// its children as zombies inside the test runner (its termination handler never ran), and a blocking
    /// wait must not occupy a thread of the cooperative pool.
    static func runProcess(executable: String, arguments: [String]) async throws -> Output {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("flink-test-support-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutPath = scratch.appendingPathComponent("stdout").path
        let stderrPath = scratch.appendingPathComponent("stderr").path

        let pid = try spawn(executable: executable, arguments: arguments, stdoutPath: stdoutPath, stderrPath: stderrPath)
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let waiter = Thread {
                var raw: Int32 = 0
                var result: pid_t
                repeat { result = waitpid(pid, &raw, 0) } while result == -1 && errno == EINTR
                continuation.resume(returning: result == -1 ? -1 : exitStatus(raw))
            }
            waiter.name = "flink-test-support waitpid \(pid)"
            waiter.start()
        }
        let stdout = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        return Output(status: status, stdout: stdout, stderr: stderr)
    }

    /// Starts `executable` with stdin from /dev/null, stdout and stderr into files, default signal handling.
    private static func spawn(executable: String, arguments: [String], stdoutPath: String, stderrPath: String)
        throws -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        // The runner's signal mask and handlers must not leak into the script (it waits for its own children).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw FlinkTestSupportError.scriptFailed(
                command: executable,
                status: -1,
                output: "posix_spawn failed: \(String(cString: strerror(result)))"
            )
        }
        return pid
    }

    /// The exit status of a `waitpid` status word (128 + signal number when killed by a signal).
    private static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Parses the `export NAME='value'` lines of `flink-session.sh env`.
    static func parseExports(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard line.hasPrefix("export "), let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
            var value = String(line[line.index(after: equals)...])
            if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }
}
