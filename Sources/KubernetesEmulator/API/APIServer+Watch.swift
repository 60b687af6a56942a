import Foundation
import JSONCore

extension APIServer {
    /// Accepts a watch request and plans its stream.
    func watch(_ request: APIRequest, path: ResourcePath, type: ResourceType) throws(APIError) -> APIOutcome {
        var q = try parseListQuery(request, type: type)
        if let name = path.name {
            q.fieldSelector.requirements.append(.init(field: "metadata.name", value: name, negated: false))
        }
        let sendInitialEvents = Self.parseBool(request.query["sendInitialEvents"])
        let allowBookmarks = Self.parseBool(request.query["allowWatchBookmarks"]) ?? false
        if sendInitialEvents != nil, q.resourceVersionMatch != "NotOlderThan" {
            throw listOptionsInvalid([.forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")])
        }
        if sendInitialEvents == nil, q.resourceVersionMatch != nil {
            throw listOptionsInvalid([.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")])
        }
        var timeout = Double(settings.defaultWatchTimeout.components.seconds)
        if let t = request.query["timeoutSeconds"], !t.isEmpty {
            guard let seconds = Int64(t) else { throw APIError.badRequest("timeoutSeconds: invalid value \(GoJSONWriter.goQuote(t))") }
            // Clamped so that scaled sleeps stay representable.
            if seconds > 0 { timeout = Double(min(seconds, 10 * 365 * 86_400)) }
        }
        let filter = WatchFilter(type: type, namespace: type.namespaced ? path.namespace : nil,
                                 labelSelector: q.labelSelector, fieldSelector: q.fieldSelector)
        let rvText = q.resourceVersion ?? ""
        let plan = try state.withLock { state throws(APIError) -> WatchPlan in
            let store = state.store
            let current = store.revision
            var initial: [JSONValue] = []
            var start = current
            var endsEarly = false
            let target = storageType(type, in: state)
            func syntheticAdds() {
                for entry in store.objects(target.storageKey) {
                    let object = view(entry.object, as: type)
                    if filter.matches(object) { initial.append(["type": "ADDED", "object": object]) }
                }
            }
            if sendInitialEvents == true {
                if !rvText.isEmpty, rvText != "0" {
                    let rv = try Self.parseResourceVersion(rvText)
                    if rv > current { throw Self.tooLargeResourceVersion(rv, current: current) }
                }
                syntheticAdds()
                if allowBookmarks {
                    let blueprint: JSONValue = ["apiVersion": .string(type.apiVersion), "items": .array([]), "kind": .string(type.listKind)]
                    let encoded = Data((GoJSONWriter.sorted.string(blueprint) + "\n").utf8).base64EncodedString()
                    initial.append(["type": "BOOKMARK", "object": [
                        "apiVersion": .string(type.apiVersion), "kind": .string(type.kind),
                        "metadata": ["resourceVersion": .string(String(current)),
                                     "annotations": ["k8s.io/initial-events-end": "true",
                                                     "kubernetes.io/initial-events-list-blueprint": .string(encoded)]],
                    ]])
                }
            } else if rvText.isEmpty || rvText == "0" {
                syntheticAdds()
            } else {
                let rv = try Self.parseResourceVersion(rvText)
                if rv < store.watchWindowStart {
                    initial.append(["type": "ERROR", "object": [
                        "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
                        "message": .string("too old resource version: \(rv) (\(store.watchWindowStart))"),
                        "reason": "Expired", "code": 410,
                    ]])
                    endsEarly = true
                }
                start = rv
            }
            return WatchPlan(filter: filter, initialEvents: initial, endsAfterInitialEvents: endsEarly, startRevision: start,
                             allowBookmarks: allowBookmarks, timeoutSeconds: timeout, path: request.path)
        }
        var planned = plan
        if case .table(let version) = ResponseForm(accept: request.accept) {
            planned.table = (version, try Self.includeObject(request))
        }
        return .watch(planned)
    }

    /// The events for a watcher after `revision`: `nil` when the watch cache no longer reaches back that far.
    func pollEvents(after revision: Int64, filter: WatchFilter) -> (events: [(Int64, JSONValue)], current: Int64)? {
        state.withLock { state in
            guard let events = state.store.events(after: revision) else { return nil }
            let target = storageType(filter.type, in: state)
            var out: [(Int64, JSONValue)] = []
            for e in events where e.storageKey == target.storageKey {
                let object = view(e.object, as: filter.type)
                let previous = e.previous.map { view($0, as: filter.type) }
                let matchesNew = filter.matches(object)
                let matchesOld = previous.map(filter.matches) ?? false
                let type: String?
                switch e.kind {
                case .added: type = matchesNew ? "ADDED" : nil
                case .modified:
                    type = matchesNew ? (matchesOld ? "MODIFIED" : "ADDED") : (matchesOld ? "DELETED" : nil)
                case .deleted: type = matchesOld ? "DELETED" : nil
                }
                if let type { out.append((e.revision, ["type": .string(type), "object": object])) }
            }
            return (out, state.store.revision)
        }
    }

    /// The writer for watch event lines of `type`.
    func eventWriter(_ type: ResourceType) -> GoJSONWriter {
        let objectWriter = type.writer
        return GoJSONWriter(keyOrder: { path in
            if path.isEmpty { return ["type", "object"] }
            if path.first == "object" {
                let rest = Array(path.dropFirst())
                return objectWriter.keyOrder(rest) ?? BuiltinTypes.statusWriter.keyOrder(rest)
            }
            return nil
        })
    }

    private static func nominalSeconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Runs a planned watch, writing one JSON event per line, until the deadline, a fault, or the client leaving.
    ///
    /// Bookmarks follow a kube-apiserver's schedule: every `bookmarkInterval`, and at `deadline - lead` (on a
    /// tick grid, which can yield two close to the deadline), with the resourceVersion the watch has reached.
    func runWatch(_ plan: WatchPlan, onStart: (WatchControl) -> Void = { _ in }, write: (Data) async throws -> Void) async {
        let (id, wakeups, control) = registerWatcher(path: plan.path)
        onStart(control)
        defer { unregisterWatcher(id) }
        let writer = eventWriter(plan.filter.type)
        var headersSent = false
        func line(_ event: JSONValue) -> Data {
            var event = event
            if let table = plan.table, ["ADDED", "MODIFIED", "DELETED"].contains(event["type"]?.stringValue ?? ""),
               let object = event["object"] {
                let stored = plan.filter.type.strategy == .eventsEvent ? EventConversion.toCore(object) : object
                event["object"] = self.table([stored], metadata: ["resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? ""],
                                             type: plan.filter.type, version: table.version,
                                             includeObject: table.includeObject, noHeaders: headersSent)
                headersSent = true
                return Data((GoJSONWriter.sorted.string(event) + "\n").utf8)
            }
            return Data((writer.string(event) + "\n").utf8)
        }
        do {
            for event in plan.initialEvents { try await write(line(event)) }
            if plan.endsAfterInitialEvents { return }
            let scale = max(settings.watchTimeScale, 1e-6)
            let tick = Self.nominalSeconds(settings.bookmarkTick)
            let interval = Self.nominalSeconds(settings.bookmarkInterval)
            let lead = Self.nominalSeconds(settings.bookmarkDeadlineLead)
            let deadline = plan.timeoutSeconds
            let clock = ContinuousClock()
            let start = clock.now
            func nextBookmark(after now: Double) -> Double? {
                let due = min(now + interval, deadline - lead)
                return due < now ? nil : due
            }
            let timer = Task {
                var k = 1
                while !Task.isCancelled {
                    let nominal = min(Double(k) * tick, deadline)
                    try? await Task.sleep(until: start + .seconds(nominal * scale), clock: clock)
                    if Task.isCancelled { break }
                    control.wake()
                    if nominal >= deadline { break }
                    k += 1
                }
            }
            defer { timer.cancel() }
            var cursor = plan.startRevision
            var processedTicks = 0
            var bookmarkDue = plan.allowBookmarks ? nextBookmark(after: 0) : nil
            var iterator = wakeups.makeAsyncIterator()
            while !Task.isCancelled {
                if control.shouldDrop { return }
                guard let polled = pollEvents(after: cursor, filter: plan.filter) else { return }
                for (revision, event) in polled.events {
                    try await write(line(event))
                    cursor = revision
                    if control.delivered() { return }
                }
                cursor = max(cursor, polled.current)
                let elapsed = (clock.now - start) / .seconds(1) / scale
                let dueTicks = Int((elapsed / tick + 1e-9).rounded(.down))
                while processedTicks < dueTicks {
                    processedTicks += 1
                    let t = Double(processedTicks) * tick
                    if t >= deadline { break }
                    if let due = bookmarkDue, t >= due {
                        let bookmark: JSONValue = ["type": "BOOKMARK", "object": [
                            "apiVersion": .string(plan.filter.type.apiVersion), "kind": .string(plan.filter.type.kind),
                            "metadata": ["resourceVersion": .string(String(cursor))],
                        ]]
                        try await write(line(bookmark))
                        bookmarkDue = nextBookmark(after: t)
                    }
                }
                if elapsed >= deadline - 1e-9 { return }
                guard await iterator.next() != nil else { return }
            }
        } catch {
            // The client went away; nothing more to do.
        }
    }
}
