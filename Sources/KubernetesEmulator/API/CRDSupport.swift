import Foundation
import JSONCore

/// CustomResourceDefinition defaulting, validation, and turning an established CRD into served resources.
enum CRDSupport {
    /// What the apiextensions server adds on create.
    static func defaulted(_ crd: JSONValue) -> JSONValue {
        var o = crd
        if o[path: ["spec", "conversion"]] == nil { o[path: ["spec", "conversion"]] = ["strategy": "None"] }
        if let kind = o[path: ["spec", "names", "kind"]]?.stringValue {
            if (o[path: ["spec", "names", "listKind"]]?.stringValue ?? "").isEmpty {
                o[path: ["spec", "names", "listKind"]] = .string(kind + "List")
            }
            if (o[path: ["spec", "names", "singular"]]?.stringValue ?? "").isEmpty {
                o[path: ["spec", "names", "singular"]] = .string(kind.lowercased())
            }
        }
        let storage = (o[path: ["spec", "versions"]]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }?["name"]
        o["status"] = [
            "conditions": .null, "acceptedNames": ["plural": "", "kind": ""],
            "storedVersions": .array(storage.map { [$0] } ?? []),
        ]
        return o
    }

    /// Validation errors of a CRD (a practical subset of the real rules).
    static func validate(_ crd: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        let plural = crd[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        let kind = crd[path: ["spec", "names", "kind"]]?.stringValue ?? ""
        if name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if group.isEmpty {
            errors.append(.required("spec.group"))
        } else if !group.contains(".") {
            errors.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
        }
        let scope = crd[path: ["spec", "scope"]]?.stringValue ?? ""
        if scope != "Namespaced" && scope != "Cluster" {
            errors.append(.notSupported("spec.scope", .string(scope), supported: ["Cluster", "Namespaced"]))
        }
        if plural.isEmpty { errors.append(.required("spec.names.plural")) } else {
            for m in NameValidation.dns1123Label(plural) { errors.append(.invalid("spec.names.plural", .string(plural), m)) }
        }
        if kind.isEmpty { errors.append(.required("spec.names.kind")) }
        let versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.isEmpty { errors.append(.required("spec.versions", "must have exactly one version marked as storage version")) }
        let storageCount = versions.filter { $0["storage"]?.boolValue == true }.count
        if !versions.isEmpty && storageCount != 1 {
            errors.append(.invalid("spec.versions", .plain("[]apiextensions.CustomResourceDefinitionVersion{...}"), "must have exactly one version marked as storage version"))
        }
        for (i, v) in versions.enumerated() {
            let base = "spec.versions[\(i)]"
            let vname = v["name"]?.stringValue ?? ""
            if vname.isEmpty { errors.append(.required("\(base).name")) }
            guard let schema = v[path: ["schema", "openAPIV3Schema"]] else {
                errors.append(.required("\(base).schema.openAPIV3Schema", "schemas are required"))
                continue
            }
            if schema["type"]?.stringValue != "object" {
                errors.append(.required("\(base).schema.openAPIV3Schema.type", "must not be empty at the root"))
            }
            structural(schema, path: "\(base).schema.openAPIV3Schema", into: &errors)
            do { _ = try StructuralSchema(json: schema) } catch {
                errors.append(.invalid("\(base).schema.openAPIV3Schema", .omitted, "\(error)"))
            }
        }
        return errors
    }

    private static func structural(_ schema: JSONValue, path: String, into errors: inout [FieldError]) {
        for (k, child) in schema["properties"]?.objectValue ?? [:] {
            let p = "\(path).properties[\(k)]"
            let preserve = child["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            let intOrString = child["x-kubernetes-int-or-string"]?.boolValue == true
            if (child["type"]?.stringValue ?? "").isEmpty && !preserve && !intOrString {
                errors.append(.required("\(p).type", "must not be empty for specified object fields"))
            }
            structural(child, path: p, into: &errors)
        }
        if let items = schema["items"], items.objectValue != nil {
            let p = "\(path).items"
            if (items["type"]?.stringValue ?? "").isEmpty && items["x-kubernetes-preserve-unknown-fields"]?.boolValue != true
                && items["x-kubernetes-int-or-string"]?.boolValue != true {
                errors.append(.required("\(p).type", "must not be empty for specified array items"))
            }
            structural(items, path: p, into: &errors)
        }
        if let additional = schema["additionalProperties"], additional.objectValue != nil {
            structural(additional, path: "\(path).additionalProperties", into: &errors)
        }
    }

    /// Whether the CRD's Established condition is True.
    static func isEstablished(_ crd: JSONValue) -> Bool {
        (crd[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        }
    }

    /// The served resources of an established CRD (one per served version).
    static func resourceTypes(_ crd: JSONValue) -> [ResourceType] {
        guard let group = crd[path: ["spec", "group"]]?.stringValue,
              let plural = crd[path: ["spec", "names", "plural"]]?.stringValue,
              let kind = crd[path: ["spec", "names", "kind"]]?.stringValue
        else { return [] }
        var out: [ResourceType] = []
        for v in crd[path: ["spec", "versions"]]?.arrayValue ?? [] where v["served"]?.boolValue == true {
            guard let version = v["name"]?.stringValue else { continue }
            var scale: ResourceDescription.ScaleSubresource?
            if let s = v[path: ["subresources", "scale"]], let spec = s["specReplicasPath"]?.stringValue,
               let status = s["statusReplicasPath"]?.stringValue {
                scale = .init(specReplicasPath: spec, statusReplicasPath: status, labelSelectorPath: s["labelSelectorPath"]?.stringValue)
            }
            let schema = v[path: ["schema", "openAPIV3Schema"]].flatMap { try? StructuralSchema(json: $0) }
            let description = ResourceDescription(
                group: group, version: version, plural: plural,
                singular: crd[path: ["spec", "names", "singular"]]?.stringValue ?? kind.lowercased(), kind: kind,
                listKind: crd[path: ["spec", "names", "listKind"]]?.stringValue,
                scope: crd[path: ["spec", "scope"]]?.stringValue == "Cluster" ? .cluster : .namespaced,
                shortNames: crd[path: ["spec", "names", "shortNames"]]?.arrayValue?.compactMap(\.stringValue) ?? [],
                categories: crd[path: ["spec", "names", "categories"]]?.arrayValue?.compactMap(\.stringValue) ?? [],
                hasStatusSubresource: v[path: ["subresources", "status"]] != nil, scale: scale, schema: schema)
            var type = ResourceType(description: description)
            let columns = (v["additionalPrinterColumns"]?.arrayValue ?? []).compactMap(PrinterColumn.init(json:))
            type.printerColumns = columns.isEmpty ? nil : columns
            out.append(type)
        }
        return out
    }
}
