import ArgumentParser
import FlinkJobOperator
import Foundation
import JSONCore
import LocalMode
import Yams

/// `flink-job-controller validate -f FILE...`: the operator's own checks, offline, for CI pipelines and GitOps
/// repositories.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check FlinkJob and FlinkSessionCluster manifests offline, with the rules the operator applies.",
        discussion: """
            Each file may hold several YAML documents; other kinds are skipped. Problems are printed as \
            FILE:LINE: KIND/NAME: MESSAGE and the command exits 1 if there are any (2 if a file cannot be read). \
            Rules that need the live cluster (namespace policy, quotas, Secrets, reachability) are not checked; \
            pass --artifact-dir to also check that file:// artifacts lie in the operator's artifact directories.
            """)

    @Option(name: [.customShort("f"), .customLong("file")], parsing: .upToNextOption,
            help: ArgumentHelp("Manifest files (YAML, multi-document allowed).", valueName: "file"))
    var files: [String] = []

    @Option(name: .customLong("artifact-dir"), help: ArgumentHelp("The operator's artifact directories (repeatable).", valueName: "dir"))
    var artifactDirectories: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one manifest with -f FILE") }
    }

    func run() throws {
        let validator = JobValidator(artifactDirectories: artifactDirectories.isEmpty ? nil : artifactDirectories)
        var problems = 0
        var checked = 0
        for file in files {
            let text: String
            switch ManifestYAML.read(file) {
            case .success(let read):
                text = read
            case .failure(let problem) where !FileManager.default.isReadableFile(atPath: file):
                print(problem)
                throw ExitCode(2)
            case .failure(let problem):
                print(problem)
                problems += 1
                continue
            }
            for finding in ManifestValidation.check(text, file: file, validator: validator) {
                if finding.isProblem { problems += 1 }
                if finding.kind != nil { checked += 1 }
                if let message = finding.message { print(message) }
            }
        }
        if problems > 0 {
            print("\(problems) problem(s) in \(files.count) file(s)")
            throw ExitCode(1)
        }
        print("OK: \(checked) object(s) in \(files.count) file(s) are valid")
    }
}

/// Validation of manifest text, shared by `validate` (and by local mode's manifest loader).
enum ManifestValidation {
    struct Finding {
        var kind: String?
        var isProblem: Bool
        var message: String?
    }

    /// Findings for every document of `text`: one per problem (with its line), or one clean entry per object.
    static func check(_ text: String, file: String, validator: JobValidator) -> [Finding] {
        let nodes: [Node]
        switch ManifestYAML.documents(text, file: file) {
        case .success(let parsed): nodes = parsed
        case .failure(let problem): return [Finding(kind: nil, isProblem: true, message: "\(problem)")]
        }
        var findings: [Finding] = []
        for node in nodes {
            let line = node.mark?.line ?? 1
            guard let kind = node["kind"]?.string else {
                findings.append(Finding(kind: nil, isProblem: true, message: "\(file):\(line): document has no kind"))
                continue
            }
            guard kind == FlinkJob.kind || kind == FlinkSessionCluster.kind else { continue }
            let name = node["metadata"]?["name"]?.string ?? "<unnamed>"
            let label = "\(kind)/\(name)"
            let problems: [String]
            do {
                let json = try JSONValue(yamlNode: node)
                if json["apiVersion"]?.stringValue != FlinkJob.apiVersion {
                    problems = ["apiVersion must be \(FlinkJob.apiVersion), not \(json["apiVersion"]?.stringValue ?? "<none>")"]
                } else if kind == FlinkJob.kind {
                    problems = validator.problems(try json.decode(FlinkJob.self))
                } else {
                    problems = ClusterValidator.problems(try json.decode(FlinkSessionCluster.self))
                }
            } catch let error as DecodingError {
                let (path, reason) = ManifestParser.describe(error)
                let fieldLine = ManifestParser.lineOf(path: path.split(separator: ".").map(String.init), in: node) ?? line
                findings.append(Finding(kind: kind, isProblem: true, message: "\(file):\(fieldLine): \(label): \(path): \(reason)"))
                continue
            } catch {
                findings.append(Finding(kind: kind, isProblem: true, message: "\(file):\(line): \(label): \(error)"))
                continue
            }
            if problems.isEmpty {
                findings.append(Finding(kind: kind, isProblem: false, message: nil))
            }
            for problem in problems {
                let field = problem.split(separator: " ").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ":")) } ?? ""
                let fieldLine = field.hasPrefix("spec.") ? ManifestParser.lineOf(path: field.split(separator: ".").map(String.init), in: node) ?? line : line
                findings.append(Finding(kind: kind, isProblem: true, message: "\(file):\(fieldLine): \(label): \(problem)"))
            }
        }
        return findings
    }
}
