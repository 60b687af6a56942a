import Foundation
import JSONCore

extension APIServer {
    /// The storage key of an object named in a request.
    func key(_ type: ResourceType, _ path: ResourcePath, name: String) -> ObjectKey {
        ObjectKey(namespace: type.namespaced ? (path.namespace ?? "") : "", name: name)
    }

    /// The stored object as the requested API version shows it.
    func view(_ stored: JSONValue, as type: ResourceType) -> JSONValue {
        switch type.strategy {
        case .eventsEvent: return EventConversion.toEventsV1(stored)
        default: return stored
        }
    }

    /// 404 for an object of `type`.
    func notFound(_ type: ResourceType, _ name: String) -> APIError {
        .notFound(resource: type.plural, group: type.group, name: name)
    }

    // MARK: get

    /// GET of one object.
    func get(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String) throws(APIError) -> APIOutcome {
        let k = key(type, path, name: name)
        let object = state.withLock { $0.store.object(type.storageKey, k) }
        guard let object else { throw notFound(type, name) }
        if case .table(let version) = ResponseForm(accept: request.accept) {
            let rv = object[path: ["metadata", "resourceVersion"]] ?? ""
            return try tableResponse([object], metadata: ["resourceVersion": rv], type: type, version: version, request: request)
        }
        return json(200, view(object, as: type), writer: type.writer)
    }

    // MARK: list

    /// The parsed list options.
    struct ListQuery {
        /// The label selector.
        var labelSelector = LabelSelector(requirements: [])
        /// The field selector.
        var fieldSelector = FieldSelector(requirements: [])
        /// The limit.
        var limit: Int?
        /// The continue token.
        var continueToken: ContinueToken?
        /// The resource version.
        var resourceVersion: String?
        /// The resource version match.
        var resourceVersionMatch: String?
    }

    /// Field selector fields a kind supports.
    static func supportedFieldSelectors(_ type: ResourceType) -> Set<String> {
        var fields: Set<String> = ["metadata.name", "metadata.namespace"]
        if type.strategy == .coreEvent || type.strategy == .eventsEvent {
            fields.formUnion(["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"])
        }
        if type.strategy == .namespace { fields.insert("status.phase") }
        if type.strategy == .secret { fields.insert("type") }
        return fields
    }

    /// Parses and validates list options (selectors, limit, continue, resourceVersion[Match]).
    func parseListQuery(_ request: APIRequest, type: ResourceType) throws(APIError) -> ListQuery {
        var q = ListQuery()
        if let text = request.query["labelSelector"] {
            do throws(SelectorError) { q.labelSelector = try LabelSelector(parsing: text) } catch { throw APIError.badRequest(error.text) }
        }
        if let text = request.query["fieldSelector"] {
            do throws(SelectorError) {
                q.fieldSelector = try FieldSelector(parsing: text, supported: Self.supportedFieldSelectors(type))
            } catch {
                throw APIError.badRequest(error.text)
            }
        }
        if let text = request.query["limit"], !text.isEmpty {
            guard let n = Int(text) else { throw APIError.badRequest("limit: invalid value \(GoJSONWriter.goQuote(text))") }
            q.limit = n > 0 ? n : nil
        }
        q.resourceVersion = request.query["resourceVersion"]
        q.resourceVersionMatch = request.query["resourceVersionMatch"].flatMap { $0.isEmpty ? nil : $0 }
        if let match = q.resourceVersionMatch {
            guard match == "Exact" || match == "NotOlderThan" else {
                throw listOptionsInvalid([.notSupported("resourceVersionMatch", .string(match), supported: ["Exact", "NotOlderThan"])])
            }
            if (q.resourceVersion ?? "").isEmpty && Self.parseBool(request.query["sendInitialEvents"]) != true {
                throw listOptionsInvalid([.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided")])
            }
            if match == "Exact" && q.resourceVersion == "0" {
                throw listOptionsInvalid([.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")])
            }
        }
        if let text = request.query["continue"], !text.isEmpty {
            if let rv = q.resourceVersion, !rv.isEmpty, rv != "0" {
                throw listOptionsInvalid([.forbidden("resourceVersion", "specifying resource version is not allowed when using continue")])
            }
            q.continueToken = try ContinueToken(decoding: text)
        }
        return q
    }

    /// A 422 for invalid ListOptions.
    func listOptionsInvalid(_ errors: [FieldError]) -> APIError {
        APIError(code: 422, reason: "Invalid",
                 message: "ListOptions.meta.k8s.io \"\" is invalid: \(FieldError.aggregate(errors))",
                 details: APIError.details(group: "meta.k8s.io", kind: "ListOptions", causes: errors.map(\.cause)))
    }

    /// Parses a resourceVersion; 400 when it is not a number.
    static func parseResourceVersion(_ text: String) throws(APIError) -> Int64 {
        guard let rv = Int64(text), rv >= 0 else {
            throw APIError.badRequest("invalid resource version: strconv.ParseUint: parsing \(GoJSONWriter.goQuote(text)): invalid syntax")
        }
        return rv
    }

    /// 504 for a resourceVersion the server has not reached.
    static func tooLargeResourceVersion(_ requested: Int64, current: Int64) -> APIError {
        var error = APIError(code: 504, reason: "Timeout",
                             message: "Too large resource version: \(requested), current: \(current)",
                             details: APIError.details(causes: [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]],
                                                       retryAfterSeconds: 1))
        error.headers = [("Retry-After", "1")]
        return error
    }

    /// GET of a collection.
    func list(_ request: APIRequest, path: ResourcePath, type: ResourceType) throws(APIError) -> APIOutcome {
        let q = try parseListQuery(request, type: type)
        let namespace = type.namespaced ? path.namespace : nil
        let form = ResponseForm(accept: request.accept)
        var storedItems: [JSONValue] = []
        let result = try state.withLock { state throws(APIError) -> JSONValue in
            let store = state.store
            let current = store.revision
            var source: [(key: ObjectKey, object: JSONValue)]
            var listRevision = current
            var limit = q.limit
            var startAfter: ObjectKey?
            if let token = q.continueToken {
                if token.revision < store.compactedRevision {
                    let fresh = ContinueToken(revision: current, startAfter: token.startAfter)
                    throw APIError.expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                        metadata: ["continue": .string(fresh.encoded)])
                }
                guard let objects = store.objects(type.storageKey, at: token.revision) else {
                    throw APIError.expired("The resourceVersion for the provided list is too old.")
                }
                source = objects
                listRevision = token.revision
                startAfter = Self.parseKeyText(token.startAfter, namespaced: type.namespaced)
            } else if let rvText = q.resourceVersion, !rvText.isEmpty {
                let rv = try Self.parseResourceVersion(rvText)
                if q.resourceVersionMatch == "Exact" {
                    if rv > current { throw Self.tooLargeResourceVersion(rv, current: current) }
                    guard let objects = store.objects(type.storageKey, at: rv) else {
                        throw APIError.expired("The resourceVersion for the provided list is too old.")
                    }
                    source = objects
                    listRevision = rv
                } else {
                    if rv > current { throw Self.tooLargeResourceVersion(rv, current: current) }
                    source = store.objects(type.storageKey)
                    // resourceVersion=0 is served from the watch cache, which ignores limit.
                    if rv == 0 { limit = nil }
                }
            } else {
                source = store.objects(type.storageKey)
            }
            var items: [JSONValue] = []
            var hasMore = false
            var lastKey: ObjectKey?
            var remaining = 0
            let selecting = !q.labelSelector.isEmpty || !q.fieldSelector.isEmpty
            var index = 0
            if let startAfter {
                index = source.firstIndex(where: { startAfter < $0.key }) ?? source.count
            }
            while index < source.count {
                let entry = source[index]
                index += 1
                if let namespace, entry.key.namespace != namespace { continue }
                if let limit, items.count >= limit {
                    hasMore = true
                    remaining += 1
                    continue
                }
                let object = entry.object
                lastKey = entry.key
                guard Self.matches(object, q.labelSelector, q.fieldSelector) else { continue }
                if form != .object { storedItems.append(object) }
                var item = view(object, as: type)
                if !type.isCustom {
                    item["apiVersion"] = nil
                    item["kind"] = nil
                }
                items.append(item)
            }
            var metadata: [String: JSONValue] = ["resourceVersion": .string(String(listRevision))]
            if hasMore, let lastKey {
                metadata["continue"] = .string(ContinueToken(revision: listRevision, startAfter: Self.keyText(lastKey, namespaced: type.namespaced)).encoded)
                if !selecting { metadata["remainingItemCount"] = .integer(Int64(remaining)) }
            } else {
                metadata["continue"] = ""
            }
            return ["apiVersion": .string(type.apiVersion), "kind": .string(type.listKind),
                    "metadata": .object(metadata), "items": .array(items)]
        }
        if case .table(let version) = form {
            return try tableResponse(storedItems, metadata: result["metadata"]?.objectValue ?? [:], type: type, version: version,
                                     request: request)
        }
        let writer = type.writer
        let listWriter = GoJSONWriter(keyOrder: { path in
            if path.first == "items" { return writer.keyOrder(Array(path.dropFirst(2))) }
            return path.isEmpty && !type.isCustom ? ["kind", "apiVersion", "metadata", "items"] : nil
        })
        return json(200, result, writer: listWriter)
    }

    /// Whether an object passes label and field selectors.
    static func matches(_ object: JSONValue, _ labels: LabelSelector, _ fields: FieldSelector) -> Bool {
        if !labels.isEmpty {
            let l = (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if !labels.matches(l) { return false }
        }
        if !fields.isEmpty {
            var f = selectableFields(object)
            for key in ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath"] {
                f[key] = object[path: key.split(separator: ".").map(String.init)]?.stringValue ?? ""
            }
            f["reason"] = object["reason"]?.stringValue ?? ""
            f["type"] = object["type"]?.stringValue ?? ""
            f["reportingComponent"] = object["reportingComponent"]?.stringValue ?? ""
            f["source"] = object[path: ["source", "component"]]?.stringValue ?? ""
            f["status.phase"] = object[path: ["status", "phase"]]?.stringValue ?? ""
            if !fields.matches(f) { return false }
        }
        return true
    }

    /// An object key as continue tokens spell it.
    static func keyText(_ key: ObjectKey, namespaced: Bool) -> String {
        namespaced ? "\(key.namespace)/\(key.name)" : key.name
    }

    /// The object key from a continue token.
    static func parseKeyText(_ text: String, namespaced: Bool) -> ObjectKey {
        guard namespaced, let slash = text.firstIndex(of: "/") else { return ObjectKey(namespace: "", name: text) }
        return ObjectKey(namespace: String(text[..<slash]), name: String(text[text.index(after: slash)...]))
    }

    // MARK: scale

    /// Reads a JSON path like `.spec.parallelism` as keys.
    static func pathKeys(_ jsonPath: String) -> [String] {
        jsonPath.split(separator: ".").map(String.init)
    }

    /// The `autoscaling/v1` Scale view of an object.
    func scaleObject(_ object: JSONValue, type: ResourceType) -> JSONValue {
        let scale = type.scale
        let specReplicas = scale.flatMap { object[path: Self.pathKeys($0.specReplicasPath)]?.integerValue } ?? 0
        let statusReplicas = scale.flatMap { object[path: Self.pathKeys($0.statusReplicasPath)]?.integerValue } ?? 0
        var metadata: [String: JSONValue] = [:]
        for k in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let v = object[path: ["metadata", k]] { metadata[k] = v }
        }
        var status: [String: JSONValue] = ["replicas": .integer(statusReplicas)]
        if let selectorPath = scale?.labelSelectorPath, let selector = object[path: Self.pathKeys(selectorPath)]?.stringValue {
            status["selector"] = .string(selector)
        }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
                "spec": ["replicas": .integer(specReplicas)], "status": .object(status)]
    }

    /// Writes Scales in field order.
    static let scaleWriter = GoJSONWriter(keyOrder: { path in BuiltinTypes.scale.keyOrder(at: path) })

    /// GET of `/scale`.
    func getScale(_ request: APIRequest, path: ResourcePath, type: ResourceType, name: String) throws(APIError) -> APIOutcome {
        let k = key(type, path, name: name)
        guard let object = state.withLock({ $0.store.object(type.storageKey, k) }) else { throw notFound(type, name) }
        return json(200, scaleObject(object, type: type), writer: Self.scaleWriter)
    }
}
