import Foundation
import JSONCore
import Yams

/// Converts YAML (one document) to `JSONValue`, resolving scalars the way Kubernetes' YAML-to-JSON step does.
enum YAMLConversion {
    /// Parses one YAML document.
    ///
    /// - Throws: `EmulatorError.invalidYAML` with the parser's message.
    static func parse(_ text: String) throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw EmulatorError.invalidYAML(String(describing: error))
        }
        guard let node else { return .null }
        return try convert(node)
    }

    /// Parses every document of a multi-document YAML stream (`---` separated), skipping empty ones.
    static func parseAll(_ text: String) throws -> [JSONValue] {
        do {
            var out: [JSONValue] = []
            for node in try Yams.compose_all(yaml: text) {
                let value = try convert(node)
                if !value.isNull { out.append(value) }
            }
            return out
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw EmulatorError.invalidYAML(String(describing: error))
        }
    }

    private static func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            return .array(try sequence.map(convert))
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let k) = key else { throw EmulatorError.invalidYAML("mapping keys must be scalars") }
                members[k.string] = try convert(value)
            }
            return .object(members)
        case .alias:
            throw EmulatorError.invalidYAML("YAML aliases are not supported")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let s = scalar.string
        if scalar.style != .plain { return .string(s) }
        // sigs.k8s.io/yaml resolves plain scalars with YAML 1.1 rules (yes/no/on/off are booleans).
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        if let i = Int64(s) { return .integer(i) }
        if s.hasPrefix("0x"), let i = Int64(s.dropFirst(2), radix: 16) { return .integer(i) }
        if s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let d = Double(s), s.first != "." || s.count > 1 {
            if !s.contains(where: \.isLetter) || s.lowercased().contains("e") { return .double(d) }
        }
        if [".inf", ".Inf", ".INF", "+.inf"].contains(s) { return .double(.infinity) }
        if [".nan", ".NaN", ".NAN"].contains(s) { return .double(.nan) }
        return .string(s)
    }
}
