import JSONCore

/// An object as a manifest defines it: what local mode makes the stored object look like.
public struct DesiredObject: Sendable, Hashable {
    /// Kind, namespace and name.
    public var key: StoredKey
    /// The manifest's labels.
    public var labels: [String: String]
    /// The manifest's annotations.
    public var annotations: [String: String]
    /// The spec with the CRD's defaults applied (and a `file://` artifact's digest when the manifest has none).
    public var spec: JSONValue
    /// The manifest file.
    public var source: String
    /// The line of the document in `source` (1-based).
    public var line: Int

    /// An object with the given values.
    public init(key: StoredKey, labels: [String: String] = [:], annotations: [String: String] = [:], spec: JSONValue, source: String, line: Int = 1) {
        self.key = key
        self.labels = labels
        self.annotations = annotations
        self.spec = spec
        self.source = source
        self.line = line
    }
}

/// A manifest that could not be read: where, and why.
public struct ManifestProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The line the problem is at (1-based).
    public var line: Int
    /// What is wrong.
    public var message: String

    /// A problem at `file:line`.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// Everything the manifest directories define right now.
public struct ManifestSnapshot: Sendable {
    /// The objects of every readable file (a broken file contributes none).
    public var objects: [DesiredObject] = []
    /// Files that could not be read or parsed: their previously stored objects stay as they are.
    public var brokenFiles: Set<String> = []
    /// Manifest directories that could not be listed: objects from files in them stay as they are.
    public var unreadableDirectories: Set<String> = []
    /// Every problem found (broken files, duplicate objects).
    public var problems: [ManifestProblem] = []
    /// Every manifest file seen.
    public var files: [String] = []
    /// ConfigMaps (`namespace/name` → data) defined next to the jobs, for `configMapRef` SQL scripts.
    public var configMaps: [String: [String: String]] = [:]
    /// Secrets (`namespace/name` → data) defined next to the jobs, for signature keys.
    public var secrets: [String: [String: [UInt8]]] = [:]
    /// Directories holding the `file://` artifacts the FlinkJobs reference (watched for changes).
    public var artifactDirectories: Set<String> = []
    /// File names (per directory) of those artifacts.
    public var artifactFiles: [String: Set<String>] = [:]

    /// An empty snapshot.
    public init() {}

    /// Whether an object from `source` must be kept although no manifest defines it now.
    public func protects(_ source: String?) -> Bool {
        guard let source else { return false }
        if brokenFiles.contains(source) { return true }
        return unreadableDirectories.contains { source.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }
}
