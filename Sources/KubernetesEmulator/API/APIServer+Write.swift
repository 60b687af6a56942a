import Foundation
import JSONCore

extension APIServer {
    // MARK: Shared helpers

    /// The managedFields tracker for writes through `subresource`.
    func tracker(_ type: ResourceType, subresource: String?) -> ManagedFieldsTracker {
        var ignored = FieldSet()
        if subresource == "status" {
            // A real server resets only `spec` for /status writes, so label changes sent there still change
            // managedFields (and cause a write) although the labels themselves are dropped.
            ignored.insert(["f:spec"])
        } else if type.statusSubresource || type.strategy == .namespace {
            ignored.insert(["f:status"])
        }
        return ManagedFieldsTracker(type: type.ownership, ignored: ignored, apiVersion: type.apiVersion,
                                    subresource: subresource == "scale" ? "scale" : (subresource ?? ""), now: nowText)
    }

    /// The object a create is compared against for managedFields (Go zero value of the kind).
    /// Refuses an object etcd would refuse: larger than its request limit once encoded.
    func checkStorageSize(_ object: JSONValue) throws(APIError) {
        guard let bytes = try? object.encodedData(), bytes.count > settings.maxObjectBytes else { return }
        throw APIError.etcdRequestTooLarge
    }

    func emptyObject(_ type: ResourceType) -> JSONValue {
        type.goType.map { $0.encode(.emptyObject) } ?? .emptyObject
    }

    /// A response carrying a stored object as the requested API shows it.
    func respond(_ status: Int, _ stored: JSONValue, type: ResourceType, warnings: [String]) -> APIOutcome {
        json(status, view(stored, as: type), writer: type.writer, warnings: warnings)
    }

    /// Turns an object in the requested API form into the storage form.
    func toStorage(_ object: JSONValue, type: ResourceType) -> JSONValue {
        switch type.strategy {
        case .eventsEvent: EventConversion.toCore(object)
        case .coreEvent: BuiltinTypes.coreEvent.encode(object)
        default: type.goType.map { $0.encode(object) } ?? object
        }
    }

    /// The storage-form type (core Events for events.k8s.io).
    func storageType(_ type: ResourceType, in state: ServerState) -> ResourceType {
        if type.strategy == .eventsEvent, let core = state.type(group: "", version: "v1", plural: "events") { return core }
        return type
    }

    /// Fills or checks `metadata.namespace` against the URL (dropping it for cluster-scoped kinds).
    func checkNamespace(_ object: inout JSONValue, type: ResourceType, urlNamespace: String?) throws(APIError) {
        if type.namespaced {
            let bodyNamespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            if bodyNamespace.isEmpty {
                object[path: ["metadata", "namespace"]] = .string(urlNamespace ?? "")
            } else if bodyNamespace != urlNamespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
        } else {
            object[path: ["metadata", "namespace"]] = nil
        }
    }

    /// Five random characters for `generateName`, from the alphabet Kubernetes uses.
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    // MARK: create

    /// POST to a collection.
    func create(_ request: APIRequest, path: ResourcePath, type: ResourceType) throws(APIError) -> APIOutcome {
        let options = try writeOptions(request)
        var object = try parseBody(request, type: type)
        try checkNamespace(&object, type: type, urlNamespace: path.namespace)
        let (normalized, warnings) = try normalize(object, type: type, mode: options.fieldValidation)
        let stored = try state.withLock { state throws(APIError) -> JSONValue in
            try createLocked(&state, normalized, type: type, options: options, managedFields: nil)
        }
        signalWatchers()
        if type.strategy == .customResourceDefinition, !options.dryRun { scheduleEstablishing(stored) }
        return respond(201, stored, type: type, warnings: warnings)
    }

    /// Creates `object` (API form, normalised); `managedFields` overrides the Update entry (server-side apply).
    func createLocked(_ state: inout ServerState, _ object: JSONValue, type: ResourceType, options: WriteOptions,
                      managedFields: [ManagedFieldsEntry]?) throws(APIError) -> JSONValue {
        var object = object
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        if type.namespaced {
            guard state.namespaceExists(namespace) else {
                throw APIError.notFound(resource: "namespaces", group: "", name: namespace)
            }
        }
        var name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
            object[path: ["metadata", "name"]] = .string(name)
        }
        if type.namespaced, state.namespaceTerminating(namespace) {
            throw APIError.forbidden(
                message: "\(APIError.qualified(type.plural, type.group)) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                details: APIError.details(name: name, group: type.group, kind: type.plural, causes: [
                    ["reason": "NamespaceTerminating", "message": .string("namespace \(namespace) is being terminated"), "field": "metadata.namespace"],
                ]))
        }
        if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty {
            throw APIError.internalError("resourceVersion should not be set on objects to be created")
        }
        // Server-owned metadata.
        object[path: ["metadata", "uid"]] = .string(UUID().uuidString.lowercased())
        object[path: ["metadata", "creationTimestamp"]] = .string(nowText)
        object[path: ["metadata", "deletionTimestamp"]] = nil
        object[path: ["metadata", "deletionGracePeriodSeconds"]] = nil
        object[path: ["metadata", "selfLink"]] = nil
        object[path: ["metadata", "managedFields"]] = nil
        object[path: ["metadata", "generation"]] = type.hasGeneration ? 1 : nil
        var eventsAPI = false
        switch type.strategy {
        case .custom:
            if type.statusSubresource { object["status"] = nil }
        case .namespace:
            object[path: ["spec", "finalizers"]] = ["kubernetes"]
            object["status"] = ["phase": "Active"]
            object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        case .secret:
            if (object["type"]?.stringValue ?? "").isEmpty { object["type"] = "Opaque" }
            if case .object(let stringData) = object["stringData"] ?? .null {
                for (k, v) in stringData {
                    object[path: ["data", k]] = .string(Data((v.stringValue ?? "").utf8).base64EncodedString())
                }
            }
            object["stringData"] = nil
        case .eventsEvent:
            eventsAPI = true
        case .customResourceDefinition:
            object = CRDSupport.defaulted(object)
        default:
            break
        }
        var errors = KindValidation.objectMeta(object, type: type)
        let storageForm = toStorage(object, type: type)
        errors += validateKind(type.strategy == .eventsEvent ? storageForm : object, old: nil, type: type, viaEventsAPI: eventsAPI)
        if !errors.isEmpty { throw invalid(type, object, errors) }
        let target = storageType(type, in: state)
        let key = ObjectKey(namespace: type.namespaced ? namespace : "", name: name)
        if state.store.object(target.storageKey, key) != nil {
            throw APIError.alreadyExists(resource: type.plural, group: type.group, name: name)
        }
        var stored = storageForm
        let entries = managedFields ?? tracker(type, subresource: nil)
            .update(live: emptyObject(type), new: object, entries: [], manager: options.manager)
        if !entries.isEmpty { stored[path: ["metadata", "managedFields"]] = ManagedFieldsEntry.encode(entries) }
        if options.dryRun { return stored }
        try checkStorageSize(stored)
        return state.store.put(target.storageKey, key, stored)
    }

    // MARK: update

    /// PUT of an object or its status.
    func update(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String) throws(APIError) -> APIOutcome {
        let options = try writeOptions(request)
        var object = try parseBody(request, type: type)
        let bodyName = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        try checkNamespace(&object, type: type, urlNamespace: path.namespace)
        let (normalized, warnings) = try normalize(object, type: type, mode: options.fieldValidation)
        let k = key(type, path, name: name)
        let result = try state.withLock { state throws(APIError) -> (Int, JSONValue) in
            let target = storageType(type, in: state)
            guard let stored = state.store.object(target.storageKey, k) else {
                if type.strategy == .coreEvent || type.strategy == .eventsEvent {
                    var fresh = normalized
                    fresh[path: ["metadata", "resourceVersion"]] = nil
                    return (201, try createLocked(&state, fresh, type: type, options: options, managedFields: nil))
                }
                throw notFound(type, name)
            }
            let rv = normalized[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            if rv.isEmpty && type.isCustom {
                let error = FieldError.invalid("metadata.resourceVersion", .plain("0x0"), "must be specified for an update")
                throw APIError(code: 422, reason: "Invalid",
                               message: "\(APIError.qualified(type.plural, type.group)) \"\(name)\" is invalid: \(error.text)",
                               details: APIError.details(name: name, group: type.group, kind: type.plural, causes: [error.cause]))
            }
            let old = view(stored, as: type)
            let (object, _) = try commitUpdate(&state, type: type, key: k, old: old, proposed: normalized,
                                               subresource: path.subresource, options: options, managedFields: nil)
            return (200, object)
        }
        signalWatchers()
        return respond(result.0, result.1, type: type, warnings: warnings)
    }

    /// Finishes any write to an existing object: precondition, subresource isolation, server-owned metadata,
    /// generation, validation, managedFields, no-op detection, and finalizer-driven removal.
    ///
    /// `old` and `proposed` are in the requested API form. Returns the object to answer with (storage form).
    func commitUpdate(_ state: inout ServerState, type: ResourceType, key k: ObjectKey, old: JSONValue, proposed: JSONValue,
                      subresource: String?, options: WriteOptions, managedFields: [ManagedFieldsEntry]?) throws(APIError) -> (JSONValue, Bool) {
        let oldRV = old[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let name = k.name
        if let rv = proposed[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty, rv != oldRV {
            throw APIError.conflict(resource: type.plural, group: type.group, name: name, reason: APIError.modifiedReason)
        }
        var new: JSONValue
        if subresource == "status" {
            new = old
            new["status"] = proposed["status"]
            new[path: ["metadata", "managedFields"]] = old[path: ["metadata", "managedFields"]]
        } else {
            new = proposed
            if type.statusSubresource || type.strategy == .namespace { new["status"] = old["status"] }
        }
        // Server-owned metadata cannot be changed by updates.
        if (new[path: ["metadata", "uid"]]?.stringValue ?? "").isEmpty { new[path: ["metadata", "uid"]] = old[path: ["metadata", "uid"]] }
        for field in ["creationTimestamp", "generation", "deletionTimestamp"] {
            new[path: ["metadata", field]] = old[path: ["metadata", field]]
        }
        if new[path: ["metadata", "deletionGracePeriodSeconds"]] == nil {
            new[path: ["metadata", "deletionGracePeriodSeconds"]] = old[path: ["metadata", "deletionGracePeriodSeconds"]]
        }
        new[path: ["metadata", "resourceVersion"]] = .string(oldRV)
        new[path: ["metadata", "selfLink"]] = nil
        if type.strategy == .namespace {
            new["spec"] = old["spec"]
            new[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        }
        if type.hasGeneration {
            var a = new
            var b = old
            for key in ["metadata", "status"] { a[key] = nil; b[key] = nil }
            if a != b {
                new[path: ["metadata", "generation"]] = .integer((old[path: ["metadata", "generation"]]?.integerValue ?? 0) + 1)
            }
        }
        var errors = KindValidation.objectMetaUpdate(new: new, old: old)
        errors += errors
        let storageNew = toStorage(new, type: type)
        let storageOld = toStorage(old, type: type)
        errors += validateKind(type.strategy == .eventsEvent ? storageNew : new,
                               old: type.strategy == .eventsEvent ? storageOld : old, type: type)
        if !errors.isEmpty { throw invalid(type, new, errors) }
        var stored = storageNew
        // Ownership is computed from what the client sent, before the strategy reset foreign fields.
        var tracked = proposed
        tracked[path: ["metadata", "managedFields"]] = nil
        if subresource == "scale" { tracked = new }
        let entries = managedFields ?? tracker(type, subresource: subresource)
            .update(live: old, new: tracked, entries: ManagedFieldsEntry.entries(of: old), manager: options.manager)
        stored[path: ["metadata", "managedFields"]] = entries.isEmpty ? JSONValue?.none : ManagedFieldsEntry.encode(entries)
        let target = storageType(type, in: state)
        let current = state.store.object(target.storageKey, k) ?? storageOld
        if stored == current { return (current, false) }
        if options.dryRun { return (stored, false) }
        let deleting = stored[path: ["metadata", "deletionTimestamp"]] != nil
        let finalizers = stored[path: ["metadata", "finalizers"]]?.arrayValue ?? []
        if deleting && finalizers.isEmpty {
            // The update completes the deletion: the last stored state is deleted, the answer is the update.
            state.store.delete(target.storageKey, k)
            stored[path: ["metadata", "finalizers"]] = nil
            if type.strategy == .customResourceDefinition { reconcileCustomResourceTypes(&state) }
            return (stored, true)
        }
        try checkStorageSize(stored)
        let result = state.store.put(target.storageKey, k, stored)
        if type.strategy == .customResourceDefinition { reconcileCustomResourceTypes(&state) }
        return (result, true)
    }

    // MARK: patch

    /// PATCH (merge, JSON, strategic merge; apply is delegated).
    func patch(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String) throws(APIError) -> APIOutcome {
        let media = Self.mediaType(request.contentType)
        var accepted = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
        if !type.isCustom { accepted.insert("application/strategic-merge-patch+json", at: 2) }
        guard accepted.contains(media) else { throw APIError.unsupportedMediaType(accepted: accepted) }
        if media == "application/apply-patch+yaml" { return try apply(request, path: path, type: type, name: name) }
        let options = try writeOptions(request)
        if request.query["force"] != nil {
            let error = FieldError.forbidden("force", "may not be specified for non-apply patch")
            throw APIError(code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: \(error.text)",
                           details: APIError.details(group: "meta.k8s.io", kind: "PatchOptions", causes: [error.cause]))
        }
        let patchDocument: JSONValue
        do {
            patchDocument = try JSONValue(parsing: request.body)
        } catch {
            throw APIError.badRequest("error decoding patch: invalid character looking for beginning of value")
        }
        if media == "application/merge-patch+json" || media == "application/strategic-merge-patch+json", patchDocument.objectValue == nil {
            throw APIError.badRequest("json: cannot unmarshal \(patchDocument.arrayValue != nil ? "array" : "value") into Go value of type map[string]interface {}")
        }
        let jsonPatch: JSONPatch?
        if media == "application/json-patch+json" {
            do {
                jsonPatch = try JSONPatch(document: patchDocument)
            } catch {
                throw APIError.badRequest("the server rejected our request due to an error in our request")
            }
        } else {
            jsonPatch = nil
        }
        let k = key(type, path, name: name)
        var warningsOut: [String] = []
        let result = try state.withLock { state throws(APIError) -> JSONValue in
            let target = storageType(type, in: state)
            guard let stored = state.store.object(target.storageKey, k) else { throw notFound(type, name) }
            let old = view(stored, as: type)
            let patched: JSONValue
            if let jsonPatch {
                do {
                    patched = try jsonPatch.apply(to: old)
                } catch {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "the server rejected our request due to an error in our request", details: .emptyObject)
                }
            } else if media == "application/strategic-merge-patch+json" {
                patched = StrategicMerge.apply(patchDocument, to: old)
            } else {
                patched = old.applyingMergePatch(patchDocument)
            }
            let context = PatchContext(patchedText: type.writer.stringApplyingOrder(of: patched, touchedBy: jsonPatch == nil ? patchDocument : .emptyObject))
            var (normalized, warnings) = try normalize(patched, type: type, mode: options.fieldValidation, patch: context)
            warningsOut = warnings
            if (normalized[path: ["metadata", "name"]]?.stringValue ?? "") != name {
                throw APIError.badRequest("the name of the object (\(normalized[path: ["metadata", "name"]]?.stringValue ?? "")) does not match the name on the URL (\(name))")
            }
            if type.namespaced, (normalized[path: ["metadata", "namespace"]]?.stringValue ?? "") != k.namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            if !type.namespaced { normalized[path: ["metadata", "namespace"]] = nil }
            return try commitUpdate(&state, type: type, key: k, old: old, proposed: normalized, subresource: path.subresource,
                                    options: options, managedFields: nil).0
        }
        signalWatchers()
        return respond(200, result, type: type, warnings: warningsOut)
    }

    // MARK: server-side apply

    /// Refuses an apply configuration with fields the schema does not declare, like a kube-apiserver v1.32: its
    /// field manager converts the configuration to the typed form first, and that conversion fails with an
    /// error that is not a Status — a 500 without reason (kubernetes/kubernetes#139253), whatever
    /// `fieldValidation` says.
    private func checkDeclaredFields(_ config: JSONValue, type: ResourceType, name: String, namespace: String?) throws(APIError) {
        let (_, unknown) = try normalize(config, type: type, mode: .warn, applyDefaults: false)
        guard !unknown.isEmpty else { return }
        let paths = unknown.map { text -> String in
            let path = text.hasPrefix("unknown field \"") && text.hasSuffix("\"") ? String(text.dropFirst(15).dropLast()) : text
            return ".\(path): field not declared in schema"
        }
        let detail = paths.count == 1 ? paths[0] : "errors:\n" + paths.map { "  " + $0 }.joined(separator: "\n")
        let gv = type.group.isEmpty ? "/\(type.version)" : "\(type.group)/\(type.version)"
        var error = APIError(code: 500, reason: "",
                             message: "failed to create typed patch object (\(namespace ?? "")/\(name); \(gv), Kind=\(type.kind)): \(detail)")
        if case .object(var status) = error.status {
            status["reason"] = nil
            error.status = .object(status)
        }
        throw error
    }

    /// Server-side apply (`application/apply-patch+yaml`), creating the object when absent.
    func apply(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String) throws(APIError) -> APIOutcome {
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            let error = FieldError.required("fieldManager", "is required for apply patch")
            throw APIError(code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: \(error.text)",
                           details: APIError.details(group: "meta.k8s.io", kind: "PatchOptions", causes: [error.cause]))
        }
        var options = try writeOptions(request)
        options.manager = manager
        let raw = String(decoding: request.body, as: UTF8.self)
        var config: JSONValue
        do {
            config = try YAMLConversion.parse(raw)
        } catch {
            throw APIError.badRequest("error decoding YAML: \(error)")
        }
        guard config.objectValue != nil else { throw APIError.badRequest("error decoding YAML: the apply patch must be an object") }
        try checkTypeMeta(config, raw: raw, kind: type.kind, apiVersion: type.apiVersion)
        let bodyName = config[path: ["metadata", "name"]]?.stringValue ?? ""
        if bodyName.isEmpty {
            config[path: ["metadata", "name"]] = .string(name)
        } else if bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        try checkNamespace(&config, type: type, urlNamespace: path.namespace)
        try checkDeclaredFields(config, type: type, name: name, namespace: path.namespace)
        let (normalizedConfig, warnings) = try normalize(config, type: type, mode: options.fieldValidation, applyDefaults: false)
        let k = key(type, path, name: name)
        let subresource = path.subresource
        let result = try state.withLock { state throws(APIError) -> (Int, JSONValue) in
            let target = storageType(type, in: state)
            let tracker = tracker(type, subresource: subresource)
            guard let stored = state.store.object(target.storageKey, k) else {
                guard subresource == nil else { throw notFound(type, name) }
                var fresh = normalizedConfig
                type.schema?.applyDefaults(&fresh)
                var entry = ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: type.apiVersion, time: nowText,
                                               fields: FieldSet(), subresource: "")
                let applied = try? tracker.apply(live: nil, config: normalizedConfig, entries: [], manager: manager, force: true)
                entry.fields = applied?.entries.first?.fields ?? FieldSet()
                return (201, try createLocked(&state, fresh, type: type, options: options, managedFields: [entry]))
            }
            let old = view(stored, as: type)
            let applied: (object: JSONValue, entries: [ManagedFieldsEntry], changed: Bool)
            do throws(ApplyConflicts) {
                applied = try tracker.apply(live: old, config: normalizedConfig, entries: ManagedFieldsEntry.entries(of: old),
                                            manager: manager, force: options.force)
            } catch {
                throw error.apiError
            }
            var merged = applied.object
            type.schema?.applyDefaults(&merged)
            if let rv = normalizedConfig[path: ["metadata", "resourceVersion"]] {
                merged[path: ["metadata", "resourceVersion"]] = rv
            } else {
                merged[path: ["metadata", "resourceVersion"]] = old[path: ["metadata", "resourceVersion"]]
            }
            return (200, try commitUpdate(&state, type: type, key: k, old: old, proposed: merged, subresource: subresource,
                                          options: options, managedFields: applied.entries).0)
        }
        signalWatchers()
        return respond(result.0, result.1, type: type, warnings: warnings)
    }

    // MARK: scale

    /// PUT or PATCH of `/scale`.
    func updateScale(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String, patch: Bool) throws(APIError) -> APIOutcome {
        let options = try writeOptions(request)
        guard let scale = type.scale else { throw .pageNotFound }
        let media = Self.mediaType(request.contentType)
        var patchDocument: JSONValue?
        var body: JSONValue?
        if patch {
            let accepted = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            guard accepted.contains(media), media != "application/apply-patch+yaml" else {
                throw APIError.unsupportedMediaType(accepted: accepted)
            }
            do { patchDocument = try JSONValue(parsing: request.body) } catch {
                throw APIError.badRequest("error decoding patch: invalid character looking for beginning of value")
            }
        } else {
            body = try parseBody(request, type: type, expectedKind: "Scale", expectedAPIVersion: "autoscaling/v1")
        }
        let k = key(type, path, name: name)
        let scaleType = ResourceType(group: "autoscaling", version: "v1", plural: type.plural, singular: "", kind: "Scale",
                                     namespaced: type.namespaced, goType: BuiltinTypes.scale, strategy: .configMap)
        let result = try state.withLock { state throws(APIError) -> JSONValue in
            guard let old = state.store.object(type.storageKey, k) else { throw notFound(type, name) }
            let current = scaleObject(old, type: type)
            var newScale: JSONValue
            if let patchDocument {
                if media == "application/json-patch+json" {
                    do {
                        newScale = try JSONPatch(document: patchDocument).apply(to: current)
                    } catch {
                        throw APIError(code: 422, reason: "Invalid",
                                       message: "the server rejected our request due to an error in our request", details: .emptyObject)
                    }
                } else {
                    newScale = current.applyingMergePatch(patchDocument)
                }
            } else {
                newScale = body ?? current
            }
            let (decoded, _) = try normalize(newScale, type: scaleType, mode: .ignore)
            let bodyName = decoded[path: ["metadata", "name"]]?.stringValue ?? ""
            if bodyName != name {
                throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            let rv = decoded[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            if !rv.isEmpty, rv != old[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw APIError.conflict(resource: type.plural, group: type.group, name: name, reason: APIError.modifiedReason)
            }
            var proposed = old
            proposed[path: Self.pathKeys(scale.specReplicasPath)] = .integer(decoded[path: ["spec", "replicas"]]?.integerValue ?? 0)
            let (stored, _) = try commitUpdate(&state, type: type, key: k, old: old, proposed: proposed, subresource: "scale",
                                               options: options, managedFields: nil)
            return scaleObject(stored, type: type)
        }
        signalWatchers()
        return json(200, result, writer: Self.scaleWriter)
    }
}
