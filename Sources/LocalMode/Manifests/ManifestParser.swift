import FlinkJobOperator
import Foundation
import JSONCore
import Yams

/// Reads one manifest file: YAML documents into typed objects, or one problem naming the file and line.
///
/// A file is all or nothing: if any document of it is not valid YAML or does not decode, the whole file is
/// reported broken (its previously loaded objects stay as they were, see `ManifestSnapshot.brokenFiles`).
/// Semantic validation (`JobValidator`, `ClusterValidator`) is left to the controllers, which report it as
/// `InvalidSpec` conditions and events exactly as in Kubernetes mode.
public enum ManifestParser {
    /// One document of a manifest file.
    public enum Document: Sendable {
        case flinkJob(FlinkJob, line: Int)
        case sessionCluster(FlinkSessionCluster, line: Int)
        case configMap(namespace: String, name: String, data: [String: String])
        case secret(namespace: String, name: String, data: [String: [UInt8]])
        /// A kind local mode does not use.
        case other(kind: String, line: Int)
    }

    /// The namespace of namespaced objects whose manifest names none.
    public static let defaultNamespace = "default"

    /// Parses `text` (the contents of `file`).
    public static func parse(_ text: String, file: String) -> Result<[Document], ManifestProblem> {
        let nodes: [Node]
        switch ManifestYAML.documents(text, file: file) {
        case .success(let parsed): nodes = parsed
        case .failure(let problem): return .failure(problem)
        }
        var documents: [Document] = []
        for node in nodes {
            switch document(node, file: file) {
            case .success(let document?): documents.append(document)
            case .success(nil): continue
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(documents)
    }

    private static func document(_ node: Node, file: String) -> Result<Document?, ManifestProblem> {
        let line = node.mark?.line ?? 1
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~" {
            return .success(nil)  // an empty document (`---` at the end of a file)
        }
        guard node.mapping != nil else {
            return .failure(ManifestProblem(file: file, line: line, message: "a manifest document must be a mapping"))
        }
        guard let kind = node["kind"]?.string else {
            return .failure(ManifestProblem(file: file, line: line, message: "document has no kind"))
        }
        let apiVersion = node["apiVersion"]?.string
        let name = node["metadata"]?["name"]?.string
        let label = "\(kind)/\(name ?? "<unnamed>")"
        func problem(_ message: String, at path: [String] = []) -> Result<Document?, ManifestProblem> {
            .failure(ManifestProblem(file: file, line: lineOf(path: path, in: node) ?? line, message: "\(label): \(message)"))
        }
        switch kind {
        case FlinkJob.kind, FlinkSessionCluster.kind:
            guard apiVersion == FlinkJob.apiVersion else {
                return problem("apiVersion must be \(FlinkJob.apiVersion), not \(apiVersion ?? "<none>")", at: ["apiVersion"])
            }
            guard let name, isValidName(name) else {
                return problem(
                    "metadata.name must be a lowercase RFC 1123 name (letters, digits, '-', '.'; at most 253)",
                    at: ["metadata", "name"])
            }
            if let namespace = node["metadata"]?["namespace"]?.string, kind == FlinkJob.kind, !isValidLabel(namespace) {
                return problem("metadata.namespace must be a lowercase RFC 1123 label", at: ["metadata", "namespace"])
            }
            do {
                var json = try JSONValue(yamlNode: node)
                // The manifest's status is not the state of anything: local mode keeps status itself.
                if case .object(var members) = json {
                    members["status"] = nil
                    json = .object(members)
                }
                if kind == FlinkJob.kind {
                    var job = try json.decode(FlinkJob.self)
                    job.metadata.namespace = job.metadata.namespace ?? defaultNamespace
                    return .success(.flinkJob(job, line: line))
                }
                var cluster = try json.decode(FlinkSessionCluster.self)
                cluster.metadata.namespace = nil
                return .success(.sessionCluster(cluster, line: line))
            } catch let error as DecodingError {
                let (path, reason) = describe(error)
                return problem("\(path): \(reason)", at: path.split(separator: ".").map { String($0.split(separator: "[")[0]) })
            } catch {
                return problem("\(error)")
            }
        case "ConfigMap" where apiVersion == "v1":
            guard let name else { return problem("metadata.name is required", at: ["metadata"]) }
            let namespace = node["metadata"]?["namespace"]?.string ?? defaultNamespace
            var data: [String: String] = [:]
            for (key, value) in node["data"]?.mapping ?? [:] {
                guard let key = key.string, let value = value.string else { return problem("data values must be strings", at: ["data"]) }
                data[key] = value
            }
            return .success(.configMap(namespace: namespace, name: name, data: data))
        case "Secret" where apiVersion == "v1":
            guard let name else { return problem("metadata.name is required", at: ["metadata"]) }
            let namespace = node["metadata"]?["namespace"]?.string ?? defaultNamespace
            var data: [String: [UInt8]] = [:]
            for (key, value) in node["data"]?.mapping ?? [:] {
                guard let key = key.string, let text = value.string,
                    let bytes = Data(base64Encoded: text.filter { !$0.isWhitespace })
                else { return problem("data values must be base64", at: ["data"]) }
                data[key] = Array(bytes)
            }
            for (key, value) in node["stringData"]?.mapping ?? [:] {
                guard let key = key.string, let text = value.string else { return problem("stringData values must be strings", at: ["stringData"]) }
                data[key] = Array(text.utf8)
            }
            return .success(.secret(namespace: namespace, name: name, data: data))
        default:
            return .success(.other(kind: kind, line: line))
        }
    }

    /// Whether `name` is an RFC 1123 subdomain (what Kubernetes accepts as a custom resource's name).
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidLabel(String($0)) }
    }

    /// Whether `label` is an RFC 1123 label.
    static func isValidLabel(_ label: String) -> Bool {
        guard !label.isEmpty, label.count <= 63, let first = label.first, let last = label.last else { return false }
        let allowed = label.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }

    /// The line of the deepest node along `path` that exists.
    public static func lineOf(path: [String], in node: Node) -> Int? {
        var current = node
        var line = node.mark?.line
        for component in path {
            guard let mapping = current.mapping else { break }
            guard let (key, value) = mapping.first(where: { $0.key.string == component }) else { break }
            line = key.mark?.line ?? line
            current = value
        }
        return line
    }

    /// The failing field's path (`spec.parallelism`) and what is wrong with it.
    public static func describe(_ error: DecodingError) -> (path: String, reason: String) {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ((path(context).isEmpty ? "" : path(context) + ".") + key.stringValue, "is required")
        case .typeMismatch(let type, let context):
            return (path(context), "expected \(type)")
        case .valueNotFound(let type, let context):
            return (path(context), "expected \(type), found null")
        case .dataCorrupted(let context):
            return (path(context), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }
}

extension JSONValue {
    /// The JSON value of a YAML node (scalars typed per the YAML core schema, as the API server reads YAML).
    public init(yamlNode node: Node) throws {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if let bool = Bool.construct(from: scalar) {
                    self = .bool(bool)
                    return
                }
                if let int = Int.construct(from: scalar) {
                    self = .integer(Int64(int))
                    return
                }
                if let double = Double.construct(from: scalar) {
                    self = .double(double)
                    return
                }
                if NSNull.construct(from: scalar) != nil {
                    self = .null
                    return
                }
            }
            self = .string(scalar.string)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                members[key.string ?? "\(key)"] = try JSONValue(yamlNode: value)
            }
            self = .object(members)
        case .sequence(let sequence):
            self = .array(try sequence.map { try JSONValue(yamlNode: $0) })
        case .alias:
            throw YamlError.representer(problem: "YAML aliases are not supported in manifests")
        }
    }
}

extension YamlError {
    /// The line the error is at (1 when unknown).
    public var line: Int {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }

    /// The problem without Yams' context dump.
    public var summary: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(self)"
        }
    }
}
