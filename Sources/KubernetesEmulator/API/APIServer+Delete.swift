import Foundation
import JSONCore

extension APIServer {
    /// The parsed DeleteOptions.
    struct DeleteOptions {
        /// The dry run.
        var dryRun = false
        /// The propagation policy.
        var propagationPolicy: String?
        /// The orphan dependents.
        var orphanDependents: Bool?
        /// The precondition uid.
        var preconditionUID: String?
        /// The precondition resource version.
        var preconditionResourceVersion: String?
        /// The grace period seconds.
        var gracePeriodSeconds: Int64?
    }

    /// Parses DeleteOptions from the body and query.
    func deleteOptions(_ request: APIRequest) throws(APIError) -> DeleteOptions {
        var o = DeleteOptions()
        if !request.body.isEmpty {
            let body: JSONValue
            do { body = try JSONValue(parsing: request.body) } catch {
                throw APIError.badRequest("error decoding DeleteOptions: invalid JSON")
            }
            // JSON `null` decodes to empty options in Go; other non-objects do not decode.
            guard body.objectValue != nil || body.isNull else {
                throw APIError.badRequest("json: cannot unmarshal \(body.arrayValue != nil ? "array" : "value") into Go value of type v1.DeleteOptions")
            }
            if let kind = body["kind"]?.stringValue, kind != "DeleteOptions" {
                throw APIError.badRequest("no kind \"\(kind)\" is registered for version \"\(body["apiVersion"]?.stringValue ?? "v1")\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"")
            }
            let decoded: JSONValue
            do { decoded = try BuiltinTypes.deleteOptions.decode(body).value } catch {
                throw APIError.badRequest(error.message)
            }
            o.propagationPolicy = decoded["propagationPolicy"]?.stringValue
            o.orphanDependents = decoded["orphanDependents"]?.boolValue
            o.preconditionUID = decoded[path: ["preconditions", "uid"]]?.stringValue
            o.preconditionResourceVersion = decoded[path: ["preconditions", "resourceVersion"]]?.stringValue
            o.gracePeriodSeconds = decoded["gracePeriodSeconds"]?.integerValue
            if let dryRun = decoded["dryRun"]?.arrayValue, !dryRun.isEmpty {
                guard dryRun == ["All"] else { throw APIError.badRequest("Invalid dry run value") }
                o.dryRun = true
            }
        }
        if let dryRun = request.query["dryRun"], !dryRun.isEmpty {
            guard dryRun == "All" else { throw APIError.badRequest("Invalid dry run value: \(dryRun)") }
            o.dryRun = true
        }
        if let p = request.query["propagationPolicy"] { o.propagationPolicy = p }
        if let g = request.query["gracePeriodSeconds"], let v = Int64(g) { o.gracePeriodSeconds = v }
        if let p = o.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(p) {
            let error = FieldError.notSupported("propagationPolicy", .string(p), supported: ["Foreground", "Background", "Orphan"])
            throw APIError(code: 422, reason: "Invalid", message: "DeleteOptions.meta.k8s.io \"\" is invalid: \(error.text)",
                           details: APIError.details(group: "meta.k8s.io", kind: "DeleteOptions", causes: [error.cause]))
        }
        return o
    }

    /// DELETE of one object.
    func delete(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String) throws(APIError) -> APIOutcome {
        let options = try deleteOptions(request)
        let k = key(type, path, name: name)
        let outcome = try state.withLock { state throws(APIError) -> APIOutcome in
            try deleteLocked(&state, type: type, key: k, options: options)
        }
        signalWatchers()
        if type.strategy == .namespace { scheduleNamespaceCleanup(name) }
        return outcome
    }

    /// Deletes one object: at once when nothing holds it, otherwise by setting `deletionTimestamp`.
    func deleteLocked(_ state: inout ServerState, type: ResourceType, key k: ObjectKey, options: DeleteOptions) throws(APIError) -> APIOutcome {
        let target = storageType(type, in: state)
        guard let stored = state.store.object(target.storageKey, k) else { throw notFound(type, k.name) }
        let uid = stored[path: ["metadata", "uid"]]?.stringValue ?? ""
        let rv = stored[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if let expected = options.preconditionUID, expected != uid {
            throw APIError.conflict(resource: type.plural, group: type.group, name: k.name,
                                    reason: "Precondition failed: UID in precondition: \(expected), UID in object meta: \(uid)")
        }
        if let expected = options.preconditionResourceVersion, expected != rv {
            throw APIError.conflict(resource: type.plural, group: type.group, name: k.name,
                                    reason: "Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(rv)")
        }
        var finalizers = stored[path: ["metadata", "finalizers"]]?.arrayValue ?? []
        let alreadyDeleting = stored[path: ["metadata", "deletionTimestamp"]] != nil
        var extra: [JSONValue] = []
        if options.propagationPolicy == "Foreground" { extra.append("foregroundDeletion") }
        if options.propagationPolicy == "Orphan" || options.orphanDependents == true { extra.append("orphan") }
        if type.strategy == .customResourceDefinition && !options.dryRun {
            // Like the CRD finalizer controller, but at once: instances go first, then the definition.
            var last = stored
            last[path: ["metadata", "deletionTimestamp"]] = .string(nowText)
            if let group = stored[path: ["spec", "group"]]?.stringValue, let plural = stored[path: ["spec", "names", "plural"]]?.stringValue {
                for entry in state.store.objects("\(group)/\(plural)") {
                    state.store.delete("\(group)/\(plural)", entry.key)
                }
            }
            state.store.delete(target.storageKey, k)
            reconcileCustomResourceTypes(&state)
            return respond(200, last, type: type, warnings: [])
        }
        let needsGraceful = !finalizers.isEmpty || !extra.isEmpty || type.strategy == .namespace
        if !needsGraceful {
            if options.dryRun {
                return successStatus(type: type, name: k.name, uid: uid)
            }
            state.store.delete(target.storageKey, k)
            return successStatus(type: type, name: k.name, uid: uid)
        }
        if alreadyDeleting {
            // A repeated DELETE changes nothing (but may still add a propagation finalizer).
            let missing = extra.filter { !finalizers.contains($0) }
            if missing.isEmpty || options.dryRun { return respond(200, stored, type: type, warnings: []) }
        }
        var updated = stored
        for f in extra where !finalizers.contains(f) { finalizers.append(f) }
        updated[path: ["metadata", "finalizers"]] = .array(finalizers)
        if !alreadyDeleting {
            updated[path: ["metadata", "deletionTimestamp"]] = .string(nowText)
            updated[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            if type.hasGeneration {
                updated[path: ["metadata", "generation"]] = .integer((stored[path: ["metadata", "generation"]]?.integerValue ?? 0) + 1)
            }
            if type.strategy == .namespace { updated[path: ["status", "phase"]] = "Terminating" }
        }
        if options.dryRun { return respond(200, updated, type: type, warnings: []) }
        let result = state.store.put(target.storageKey, k, updated)
        return respond(200, result, type: type, warnings: [])
    }

    /// The Success Status a completed deletion answers with.
    func successStatus(type: ResourceType, name: String, uid: String) -> APIOutcome {
        let status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success",
            "details": APIError.details(name: name, group: type.group, kind: type.plural, uid: uid),
        ]
        return json(200, status, writer: BuiltinTypes.statusWriter)
    }

    /// DELETE of a collection.
    func deleteCollection(_ request: APIRequest, path: ResourcePath, type: ResourceType) throws(APIError) -> APIOutcome {
        let options = try deleteOptions(request)
        let q = try parseListQuery(request, type: type)
        let namespace = type.namespaced ? path.namespace : nil
        let deleted = try state.withLock { state throws(APIError) -> [JSONValue] in
            let target = storageType(type, in: state)
            var out: [JSONValue] = []
            for entry in state.store.objects(target.storageKey) {
                if let namespace, entry.key.namespace != namespace { continue }
                guard Self.matches(entry.object, q.labelSelector, q.fieldSelector) else { continue }
                _ = try deleteLocked(&state, type: type, key: entry.key, options: options)
                var item = view(entry.object, as: type)
                if !type.isCustom { item["apiVersion"] = nil; item["kind"] = nil }
                out.append(item)
            }
            return out
        }
        signalWatchers()
        let list: JSONValue = ["apiVersion": .string(type.apiVersion), "kind": .string(type.listKind),
                               "metadata": ["resourceVersion": ""], "items": .array(deleted)]
        return json(200, list)
    }

    /// Acts as the namespace controller: deletes everything in a terminating namespace (objects with finalizers
    /// get a `deletionTimestamp` and stay until their finalizers are removed), then the namespace itself.
    func scheduleNamespaceCleanup(_ name: String) {
        Task { [self] in
            // Bounded: a namespace whose contents keep finalizers for a minute is left terminating.
            for _ in 0..<3000 {
                try? await Task.sleep(for: .milliseconds(20))
                let done = state.withLock { state -> Bool in
                    var remaining = 0
                    let now = nowText
                    var seen = Set<String>()
                    for type in state.types.values where type.namespaced && seen.insert(type.storageKey).inserted {
                        for entry in state.store.objects(type.storageKey) where entry.key.namespace == name {
                            let finalizers = entry.object[path: ["metadata", "finalizers"]]?.arrayValue ?? []
                            if finalizers.isEmpty {
                                state.store.delete(type.storageKey, entry.key)
                            } else {
                                remaining += 1
                                if entry.object[path: ["metadata", "deletionTimestamp"]] == nil {
                                    var updated = entry.object
                                    updated[path: ["metadata", "deletionTimestamp"]] = .string(now)
                                    updated[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
                                    if type.hasGeneration {
                                        updated[path: ["metadata", "generation"]] =
                                            .integer((entry.object[path: ["metadata", "generation"]]?.integerValue ?? 0) + 1)
                                    }
                                    _ = state.store.put(type.storageKey, entry.key, updated)
                                }
                            }
                        }
                    }
                    if remaining == 0 {
                        state.store.delete("/namespaces", ObjectKey(namespace: "", name: name))
                        return true
                    }
                    return false
                }
                signalWatchers()
                if done { return }
            }
        }
    }
}
