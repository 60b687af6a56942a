import Foundation

/// Runs a program to completion from async test code without occupying a thread of the cooperative pool.
///
/// Foundation's `Process.waitUntilExit()` spins a run loop on the calling thread (a pool thread, of which a
/// two-core machine has two) and has been seen to miss its child's exit and spin forever; this spawns with
/// `posix_spawn` and reaps with `waitpid` on a thread of its own.
public enum ChildProcess {
    /// What a finished run printed and how it ended (128 + signal number when killed by a signal).
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var stdout: String
        /// Everything written to standard error.
        public var stderr: String
        /// Standard error, then standard output.
        public var output: String { stderr + stdout }
    }

    /// Runs `executable` with `arguments`, the test process's environment plus `environment`, in
    /// `currentDirectory` (the test process's own when `nil`); stdin is /dev/null.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], currentDirectory: String? = nil
    ) async throws -> Result {
        // env(1) applies the directory and the variables, so the spawn itself stays simple.
        var wrapped: [String] = []
        if let currentDirectory { wrapped += ["-C", currentDirectory] }
        wrapped += environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        // No "--": after NAME=VALUE pairs env takes it for the command. An absolute path cannot be mistaken for
        // an assignment or an option.
        wrapped += [executable.hasPrefix("/") ? executable : "./\(executable)"] + arguments
        let output = try await FlinkSessionScript.runProcess(executable: "/usr/bin/env", arguments: wrapped)
        return Result(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }
}
