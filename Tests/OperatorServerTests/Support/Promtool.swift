import Foundation

/// Runs the real `promtool check metrics` on an exposition text.
enum Promtool {
    /// What promtool printed and its exit status.
    struct Result {
        /// Exit status (0: valid and lint-clean, 3: lint problems, 1: parse errors).
        var status: Int32
        /// stdout and stderr together.
        var output: String
    }

    /// Why promtool could not be run.
    enum Failure: Error, CustomStringConvertible {
        /// No executable `promtool` on PATH.
        case notInstalled(path: String)
        /// posix_spawn failed.
        case spawnFailed(Int32)

        var description: String {
            switch self {
            case .notInstalled(let path):
                "promtool was not found on PATH (\(path)); install it with scripts/install-deps.sh (Debian package \"prometheus\")"
            case .spawnFailed(let code):
                "could not start promtool: \(String(cString: strerror(code)))"
            }
        }
    }

    /// The path of the `promtool` executable on PATH.
    static func locate() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/promtool"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw Failure.notInstalled(path: path)
    }

    /// `promtool --version`, first line.
    static func version() async throws -> String {
        let result = try await run(arguments: ["--version"], stdin: Data())
        return String(result.output.split(separator: "\n").first ?? "")
    }

    /// `promtool check metrics < text`.
    static func checkMetrics(_ text: Data) async throws -> Result {
        try await run(arguments: ["check", "metrics"], stdin: text)
    }

    /// Runs promtool with `stdin` as its input; output is captured in a file (a pipe could fill and block it).
    private static func run(arguments: [String], stdin: Data) async throws -> Result {
        let executable = try locate()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("operator-server-promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputPath = scratch.appendingPathComponent("input").path
        let outputPath = scratch.appendingPathComponent("output").path
        try stdin.write(to: URL(fileURLWithPath: inputPath))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure.spawnFailed(spawned) }
        let child = pid
        // waitpid blocks, so it runs on a thread of its own rather than on the cooperative pool.
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread {
                var raw: Int32 = 0
                var result: pid_t
                repeat { result = waitpid(child, &raw, 0) } while result == -1 && errno == EINTR
                let signal = raw & 0x7f
                continuation.resume(returning: result == -1 ? -1 : (signal == 0 ? (raw >> 8) & 0xff : 128 + signal))
            }.start()
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: status, output: output)
    }
}
