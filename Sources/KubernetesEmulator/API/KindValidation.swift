import Foundation
import JSONCore

/// Validation and defaulting rules of the built-in kinds (what their registry strategies do).
enum KindValidation {
    /// A string member, `""` when absent.
    static func string(_ o: JSONValue, _ key: String) -> String { o[key]?.stringValue ?? "" }

    /// ObjectMeta checks on create.
    static func objectMeta(_ object: JSONValue, type: ResourceType) -> [FieldError] {
        var errors: [FieldError] = []
        let meta = object["metadata"] ?? .emptyObject
        let name = meta["name"]?.stringValue ?? ""
        if name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else {
            let messages = type.strategy == .namespace ? NameValidation.dns1123Label(name) : NameValidation.dns1123Subdomain(name)
            for m in messages { errors.append(.invalid("metadata.name", .string(name), m)) }
        }
        if type.namespaced, (meta["namespace"]?.stringValue ?? "").isEmpty {
            errors.append(.required("metadata.namespace"))
        }
        errors += labelsAndAnnotations(meta)
        return errors
    }

    /// Label and annotation syntax errors.
    static func labelsAndAnnotations(_ meta: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for (k, v) in (meta["labels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for m in NameValidation.qualifiedName(k) { errors.append(.invalid("metadata.labels", .string(k), m)) }
            let value = v.stringValue ?? ""
            for m in NameValidation.labelValue(value) { errors.append(.invalid("metadata.labels", .string(value), m)) }
        }
        var size = 0
        for (k, v) in (meta["annotations"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for m in NameValidation.qualifiedName(k.lowercased()) { errors.append(.invalid("metadata.annotations", .string(k), m)) }
            size += k.utf8.count + (v.stringValue?.utf8.count ?? 0)
        }
        if size > 262_144 {
            errors.append(FieldError(kind: .tooLong, field: "metadata.annotations", badValue: .omitted, detail: "may not be more than 262144 bytes"))
        }
        return errors
    }

    /// ObjectMeta checks on update (Kubernetes reports these twice for most kinds; callers duplicate).
    static func objectMetaUpdate(new: JSONValue, old: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let newMeta = new["metadata"] ?? .emptyObject
        let oldMeta = old["metadata"] ?? .emptyObject
        if oldMeta["deletionTimestamp"] != nil {
            let oldFinalizers = Set(oldMeta["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let added = (newMeta["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { !oldFinalizers.contains($0) }
            if !added.isEmpty {
                let list = "[]string{" + Array(Set(added)).sorted().map(GoJSONWriter.goQuote).joined(separator: ", ") + "}"
                errors.append(.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers \(list)"))
            }
        }
        for key in ["name", "namespace", "uid"] {
            let n = newMeta[key]?.stringValue ?? ""
            let o = oldMeta[key]?.stringValue ?? ""
            if n != o { errors.append(.invalid("metadata.\(key)", .string(n), "field is immutable")) }
        }
        errors += labelsAndAnnotations(newMeta)
        return errors
    }

    /// Lease validation.
    static func lease(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if let d = object[path: ["spec", "leaseDurationSeconds"]]?.integerValue, d <= 0 {
            errors.append(.invalid("spec.leaseDurationSeconds", .plain(String(d)), "must be greater than 0"))
        }
        if let t = object[path: ["spec", "leaseTransitions"]]?.integerValue, t < 0 {
            errors.append(.invalid("spec.leaseTransitions", .plain(String(t)), "must be greater than or equal to 0"))
        }
        if let s = object[path: ["spec", "preferredHolder"]]?.stringValue, !s.isEmpty,
           (object[path: ["spec", "strategy"]]?.stringValue ?? "").isEmpty {
            errors.append(.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"))
        }
        return errors
    }

    /// Event validation on create; `eventsAPI` for events.k8s.io/v1 requests (strict rules), false for core/v1.
    static func event(_ core: JSONValue, eventsAPI: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let namespace = core[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let involvedNamespace = core[path: ["involvedObject", "namespace"]]?.stringValue ?? ""
        let controllerField = eventsAPI ? "reportingController" : "reportingComponent"
        let hasEventTime = !(core["eventTime"]?.isNull ?? true)
        if !hasEventTime {
            if involvedNamespace.isEmpty {
                if !namespace.isEmpty && namespace != "default" {
                    errors.append(.invalid("involvedObject.namespace", .string(involvedNamespace), "does not match event.namespace"))
                }
            } else if namespace != involvedNamespace {
                errors.append(.invalid("involvedObject.namespace", .string(involvedNamespace), "does not match event.namespace"))
            }
        } else {
            if involvedNamespace.isEmpty && namespace != "default" && namespace != "kube-system" {
                errors.append(.invalid("involvedObject.namespace", .string(involvedNamespace), "does not match event.namespace"))
            }
            let controller = string(core, "reportingComponent")
            if controller.isEmpty { errors.append(.required(controllerField)) }
            for m in NameValidation.qualifiedName(controller) { errors.append(.invalid(controllerField, .string(controller), m)) }
            let instance = string(core, "reportingInstance")
            if instance.isEmpty { errors.append(.required("reportingInstance")) }
            if instance.count > 128 { errors.append(.invalid("reportingInstance", .string(""), "can have at most 128 characters")) }
            let action = string(core, "action")
            if action.isEmpty { errors.append(.required("action")) }
            if action.count > 128 { errors.append(.invalid("action", .string(""), "can have at most 128 characters")) }
            let reason = string(core, "reason")
            if reason.isEmpty { errors.append(.required("reason")) }
            if reason.count > 128 { errors.append(.invalid("reason", .string(""), "can have at most 128 characters")) }
            if string(core, "message").count > 1024 {
                errors.append(.invalid("message", .string(""), "can have at most 1024 characters"))
            }
        }
        for m in NameValidation.dns1123Subdomain(namespace) where !namespace.isEmpty {
            errors.append(.invalid("namespace", .string(namespace), m))
        }
        guard eventsAPI else { return errors }
        if !hasEventTime { errors.append(.required("eventTime")) }
        let type = string(core, "type")
        if type != "Normal" && type != "Warning" {
            errors.append(.invalid("type", .string(""), "has invalid value: \(type)"))
        }
        if !(core["firstTimestamp"]?.isNull ?? true) { errors.append(.invalid("firstTimestamp", .string(""), "needs to be unset")) }
        if !(core["lastTimestamp"]?.isNull ?? true) { errors.append(.invalid("lastTimestamp", .string(""), "needs to be unset")) }
        if (core["count"]?.integerValue ?? 0) != 0 { errors.append(.invalid("count", .string(""), "needs to be unset")) }
        if !string(core["source"] ?? .emptyObject, "component").isEmpty || !string(core["source"] ?? .emptyObject, "host").isEmpty {
            errors.append(.invalid("source", .string(""), "needs to be unset"))
        }
        return errors
    }

    /// Keys of ConfigMap and Secret data.
    static func configKeys(_ object: JSONValue, fields: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        var total = 0
        for field in fields {
            for (k, v) in (object[field]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let valid = !k.isEmpty && k.count <= 253 && k != "." && k != ".."
                    && k.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
                if !valid {
                    errors.append(.invalid("\(field)[\(k)]", .string(k), "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"))
                }
                total += (v.stringValue?.utf8.count ?? 0)
            }
        }
        if total > 1_048_576 {
            errors.append(FieldError(kind: .tooLong, field: fields.first ?? "data", badValue: .omitted, detail: "may not be more than 1048576 bytes"))
        }
        return errors
    }

    /// Immutable ConfigMaps and Secrets.
    static func immutability(new: JSONValue, old: JSONValue, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        for f in fields where new[f] != old[f] {
            errors.append(.forbidden(f, "field is immutable when `immutable` is set"))
        }
        if new["immutable"]?.boolValue != true {
            errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
        }
        return errors
    }
}
