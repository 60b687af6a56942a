import FlinkTestSupport
import Foundation
import Testing

/// The real `kubectl`, run as a child process against an emulator through its kubeconfig.
///
/// Every run gets its own discovery and OpenAPI cache directory (`KUBECACHEDIR`) under `directory`, so no state
/// leaks between tests or from the user's `~/.kube`. Runs go through `ChildProcess`, off Swift's cooperative pool.
struct Kubectl: Sendable {
    /// What one run printed.
    struct Run: Sendable, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var stdout: String
        var stderr: String

        var description: String { "kubectl \(arguments.joined(separator: " ")) → \(status)\n\(stderr)\(stdout)" }

        /// The lines of a table kubectl printed, each split into its columns (two or more spaces apart).
        var table: [[String]] {
            stdout.split(separator: "\n").map { line in
                line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
            }
        }
    }

    let kubeconfig: URL
    let cacheDirectory: URL
    let workingDirectory: URL

    /// kubectl from `$KUBECTL` or the first `kubectl` on `PATH`.
    static func executable() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["KUBECTL"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw KubectlError.missing
    }

    /// Runs `kubectl arguments…`; does not judge the exit status.
    func run(_ arguments: [String]) async throws -> Run {
        let result = try await ChildProcess.run(
            try Self.executable(), arguments,
            environment: ["KUBECONFIG": kubeconfig.path, "KUBECACHEDIR": cacheDirectory.path, "HOME": cacheDirectory.path],
            currentDirectory: workingDirectory.path)
        let run = Run(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
        // FJC_E2E_PRINT_KUBECTL=1 shows the session as a user would see it.
        if ProcessInfo.processInfo.environment["FJC_E2E_PRINT_KUBECTL"] == "1" { print("$ \(run)") }
        return run
    }

    /// Runs `kubectl arguments…` and records an issue unless it exits 0.
    @discardableResult
    func callAsFunction(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> Run {
        let result = try await run(arguments)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }
}

enum KubectlError: Error, CustomStringConvertible {
    case missing

    var description: String { "no kubectl on PATH (scripts/install-deps.sh installs one); set KUBECTL to use another" }
}
