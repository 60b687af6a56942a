import Foundation
import Yams

/// Reads manifest files and their YAML documents within bounds, for local mode and `validate`.
///
/// - **Size.** A file larger than `maxFileBytes` is refused before it is read (a Kubernetes object is at most
///   1.5 MiB; a file of many objects stays well below 4 MiB).
/// - **Encoding.** Bytes that are not UTF-8 are refused with the offset of the first bad byte.
/// - **Nesting.** libyaml refuses nesting deeper than its limit (1,000 levels) while parsing.
/// - **Alias expansion ("billion laughs").** Yams resolves aliases while composing, sharing the anchored node
///   (copy-on-write), so parsing is cheap — but every later walk of the tree (conversion to JSON, decoding) visits
///   the *expanded* tree, which nine levels of nine aliases make 9⁹ nodes from 342 bytes. A document without
///   aliases has fewer nodes than bytes, so the expanded tree may hold at most `bytes + 1,000` nodes; the count
///   stops at that budget, so checking a bomb costs no more than checking an honest file of its size.
public enum ManifestYAML {
    /// Largest manifest file read.
    public static let maxFileBytes = 4 << 20

    /// The text of the manifest file at `path`, or the problem with it.
    public static func read(_ path: String) -> Result<String, ManifestProblem> {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxFileBytes else {
            return .failure(ManifestProblem(
                file: path, line: 1, message: "the file is \(size) bytes, larger than the limit of \(maxFileBytes) bytes"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ManifestProblem(file: path, line: 1, message: "cannot read the file"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(data)
            return .failure(ManifestProblem(
                file: path, line: lineNumber(ofByte: offset, in: data),
                message: "the file is not UTF-8 (invalid byte at offset \(offset))"))
        }
        return .success(text)
    }

    /// The documents of `text`, or the first problem: invalid YAML, or a document whose aliases expand too far.
    public static func documents(_ text: String, file: String) -> Result<[Node], ManifestProblem> {
        var nodes: [Node] = []
        do {
            // Document by document, so a syntax error in a later document is an error, not the end of input.
            let parser = try Parser(yaml: text)
            while let node = try parser.nextRoot() { nodes.append(node) }
        } catch let error as YamlError {
            return .failure(ManifestProblem(file: file, line: error.line, message: "invalid YAML: \(error.summary)"))
        } catch {
            return .failure(ManifestProblem(file: file, line: 1, message: "invalid YAML: \(error)"))
        }
        var budget = text.utf8.count + 1_000
        for node in nodes where !fits(node, budget: &budget) {
            return .failure(ManifestProblem(
                file: file, line: node.mark?.line ?? 1,
                message: "the YAML expands to more than \(text.utf8.count + 1_000) nodes through its aliases "
                    + "(an alias bomb, \"billion laughs\"); write the manifest without anchors and aliases"))
        }
        return .success(nodes)
    }

    /// Counts `node`'s expanded tree against `budget`; `false` as soon as it runs out.
    static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias:
            return true
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard fits(key, budget: &budget), fits(value, budget: &budget) else { return false }
            }
            return true
        case .sequence(let sequence):
            for element in sequence where !fits(element, budget: &budget) { return false }
            return true
        }
    }

    /// The offset of the first byte that does not start a valid UTF-8 scalar.
    private static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput, .error: return offset
            }
        }
    }

    private static func lineNumber(ofByte offset: Int, in data: Data) -> Int {
        1 + data.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count
    }
}
