import Foundation

/// The real `kubectl`, run as a child process against a Kubernetes API (the emulator) through a kubeconfig.
///
/// Every run gets its own discovery and OpenAPI cache directory (`KUBECACHEDIR`, also `HOME`), so no state leaks
/// between tests or from the user's `~/.kube`. Runs go through `ChildProcess`, off Swift's cooperative pool.
public struct Kubectl: Sendable {
    /// What one run printed.
    public struct Run: Sendable, CustomStringConvertible {
        /// The arguments after `kubectl`.
        public var arguments: [String]
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String

        /// The command, its status and its output, for failure messages.
        public var description: String { "kubectl \(arguments.joined(separator: " ")) → \(status)\n\(stderr)\(stdout)" }

        /// The lines of a table kubectl printed, each split into its columns (two or more spaces apart; empty
        /// cells therefore vanish).
        public var table: [[String]] {
            stdout.split(separator: "\n").map { line in
                line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
            }
        }
    }

    /// The kubeconfig every run uses.
    public let kubeconfig: URL
    /// The cache directory (discovery, OpenAPI) and home of every run.
    public let cacheDirectory: URL
    /// The directory runs start in (relative manifest paths resolve here).
    public let workingDirectory: URL

    /// A kubectl for `kubeconfig`.
    public init(kubeconfig: URL, cacheDirectory: URL, workingDirectory: URL) {
        self.kubeconfig = kubeconfig
        self.cacheDirectory = cacheDirectory
        self.workingDirectory = workingDirectory
    }

    /// kubectl from `$KUBECTL` or the first `kubectl` on `PATH`.
    public static func executable() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["KUBECTL"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw KubectlError.missing
    }

    /// Runs `kubectl arguments…`; does not judge the exit status.
    public func run(_ arguments: [String]) async throws -> Run {
        let result = try await ChildProcess.run(
            try Self.executable(), arguments,
            environment: ["KUBECONFIG": kubeconfig.path, "KUBECACHEDIR": cacheDirectory.path, "HOME": cacheDirectory.path],
            currentDirectory: workingDirectory.path)
        let run = Run(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
        // FJC_E2E_PRINT_KUBECTL=1 shows the session as a user would see it.
        if ProcessInfo.processInfo.environment["FJC_E2E_PRINT_KUBECTL"] == "1" { print("$ \(run)") }
        return run
    }
}

/// Why kubectl could not be run.
public enum KubectlError: Error, CustomStringConvertible {
    /// No kubectl binary.
    case missing

    public var description: String { "no kubectl on PATH (scripts/install-deps.sh installs one); set KUBECTL to use another" }
}
