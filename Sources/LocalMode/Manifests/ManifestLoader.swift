import FlinkJobOperator
import Foundation
import JSONCore
import Kubernetes

/// Reads every manifest file of the manifest directories into a `ManifestSnapshot`.
///
/// - Files: `*.yaml` and `*.yml` directly in each directory (not in subdirectories), except hidden files (editor
///   swap files), in name order; the first definition of an object wins, a later duplicate is a problem.
/// - A file that cannot be read, is not valid YAML or does not decode is listed in `brokenFiles` with a problem
///   naming the file and line; the other files load normally.
/// - `file://` artifacts inside the artifact directories: a FlinkJob whose manifest gives no `artifact.digest`
///   gets the file's current SHA-256 as its digest, so replacing the jar changes the spec (generation + 1) and the
///   planner upgrades the job per its `upgradeMode`; a manifest that states a digest keeps it.
public struct ManifestLoader: Sendable {
    /// The manifest directories (absolute).
    public let directories: [String]
    /// The operator's artifact directories (`--artifact-dir`), where `file://` artifacts may come from.
    public let artifactDirectories: [String]
    private let digests: ArtifactDigests

    /// A loader for `directories` (relative paths are resolved against the working directory).
    public init(directories: [String], artifactDirectories: [String], digests: ArtifactDigests = ArtifactDigests()) {
        self.directories = directories.map(Self.absolute)
        self.artifactDirectories = artifactDirectories.map(Self.absolute)
        self.digests = digests
    }

    /// What the directories define now.
    public func load() -> ManifestSnapshot {
        var snapshot = ManifestSnapshot()
        var seen: [StoredKey: String] = [:]
        for directory in directories {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                snapshot.unreadableDirectories.insert(directory)
                snapshot.problems.append(ManifestProblem(file: directory, line: 1, message: "cannot list the manifest directory: \(error.localizedDescription)"))
                continue
            }
            for name in names.filter(Self.isManifestName).sorted() {
                let path = directory + "/" + name
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                snapshot.files.append(path)
                let text: String
                switch ManifestYAML.read(path) {
                case .success(let read):
                    text = read
                case .failure(let problem):
                    snapshot.brokenFiles.insert(path)
                    snapshot.problems.append(problem)
                    continue
                }
                switch ManifestParser.parse(text, file: path) {
                case .failure(let problem):
                    snapshot.brokenFiles.insert(path)
                    snapshot.problems.append(problem)
                case .success(let documents):
                    for document in documents {
                        add(document, file: path, to: &snapshot, seen: &seen)
                    }
                }
            }
        }
        return snapshot
    }

    private func add(_ document: ManifestParser.Document, file: String, to snapshot: inout ManifestSnapshot, seen: inout [StoredKey: String]) {
        var desired: DesiredObject
        do {
            switch document {
            case .flinkJob(var job, let line):
                job.spec.artifact.digest = artifactDigest(job.spec.artifact, snapshot: &snapshot)
                desired = DesiredObject(
                    key: StoredKey(kind: .flinkJob, namespace: job.metadata.namespace, name: job.metadata.name ?? ""),
                    labels: job.metadata.labels ?? [:], annotations: job.metadata.annotations ?? [:],
                    spec: try JSONValue(encoding: job.spec), source: file, line: line)
            case .sessionCluster(let cluster, let line):
                desired = DesiredObject(
                    key: StoredKey(kind: .flinkSessionCluster, namespace: nil, name: cluster.metadata.name ?? ""),
                    labels: cluster.metadata.labels ?? [:], annotations: cluster.metadata.annotations ?? [:],
                    spec: try JSONValue(encoding: cluster.spec), source: file, line: line)
            case .configMap(let namespace, let name, let data):
                snapshot.configMaps["\(namespace)/\(name)"] = data
                return
            case .secret(let namespace, let name, let data):
                snapshot.secrets["\(namespace)/\(name)"] = data
                return
            case .other:
                return
            }
        } catch {
            snapshot.problems.append(ManifestProblem(file: file, line: 1, message: "cannot encode the spec: \(error)"))
            return
        }
        if let first = seen[desired.key] {
            snapshot.problems.append(ManifestProblem(
                file: file, line: desired.line, message: "\(desired.key) is already defined in \(first); this definition is ignored"))
            return
        }
        seen[desired.key] = "\(file):\(desired.line)"
        snapshot.objects.append(desired)
    }

    /// The digest a FlinkJob is served with: the manifest's, or the current digest of its local artifact file.
    private func artifactDigest(_ artifact: FlinkJobSpec.Artifact, snapshot: inout ManifestSnapshot) -> String? {
        if let stated = artifact.digest { return stated }
        guard let uri = artifact.jar?.uri ?? artifact.python?.uri, let path = Self.localPath(uri), isAllowed(path) else {
            return nil
        }
        let directory = (path as NSString).deletingLastPathComponent
        snapshot.artifactDirectories.insert(directory)
        snapshot.artifactFiles[directory, default: []].insert((path as NSString).lastPathComponent)
        return digests.digest(ofFileAt: path)
    }

    /// Whether `path` lies in an artifact directory (symlinks resolved where the file exists).
    private func isAllowed(_ path: String) -> Bool {
        let resolved = Self.realPath(path) ?? path
        return artifactDirectories.contains { directory in
            let root = Self.realPath(directory) ?? directory
            return resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
    }

    /// The path of a `file://` URI (absolute, on this host), if it is one.
    static func localPath(_ uri: String) -> String? {
        guard let components = URLComponents(string: uri), components.scheme?.lowercased() == "file",
            (components.host ?? "").isEmpty || components.host == "localhost", components.path.hasPrefix("/"),
            !components.path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
        else { return nil }
        return components.path
    }

    /// Whether a directory entry is a manifest: `*.yaml` / `*.yml`, not hidden.
    static func isManifestName(_ name: String) -> Bool {
        !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    static func absolute(_ path: String) -> String {
        var absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        return absolute
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
