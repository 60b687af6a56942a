import JSONCore

/// Keeps `metadata.managedFields` up to date on writes, and implements server-side apply on top of it.
struct ManagedFieldsTracker {
    /// The ownership structure of the kind.
    var type: OwnershipType
    /// Fields a write through this endpoint never owns (e.g. `status` on the main resource).
    var ignored: FieldSet
    /// The api version.
    var apiVersion: String
    /// The subresource.
    var subresource: String
    /// The current time, RFC 3339.
    var now: String

    /// A conflict of an apply with other managers.
    struct Conflict: Sendable {
        /// The manager.
        var manager: ManagedFieldsEntry
        /// The path.
        var path: [String]
    }

    private func relevant(_ set: FieldSet) -> FieldSet {
        FieldOwnership.stripped(set).subtractingRecursively(ignored)
    }

    /// Records a non-apply write by `manager`: it takes ownership of every field it changed.
    func update(live: JSONValue?, new: JSONValue, entries: [ManagedFieldsEntry], manager: String) -> [ManagedFieldsEntry] {
        let comparison = FieldOwnership.compare(live.map(withoutManagedFields), withoutManagedFields(new), type: type)
        let changed = relevant(comparison.changed)
        let removed = relevant(comparison.removed)
        var result: [ManagedFieldsEntry] = []
        var mine = ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: apiVersion, time: nil,
                                      fields: FieldSet(), subresource: subresource)
        var hadMine = false
        for entry in entries {
            if entry.sameIdentity(as: mine) {
                mine = entry
                hadMine = true
                continue
            }
            var e = entry
            e.fields = e.fields.subtracting(changed).subtracting(removed)
            result.append(e)
        }
        let before = mine.fields
        mine.fields = mine.fields.subtracting(removed).union(changed)
        if !changed.isEmpty { mine.time = now }
        if !mine.fields.isEmpty && (hadMine || !changed.isEmpty || mine.fields != before) {
            result.append(mine)
        }
        return result.filter { !$0.fields.isEmpty }
    }

    /// Server-side apply of `config` by `manager`.
    ///
    /// - Returns: the merged object (before defaulting) with the new entries, and whether any field value changed.
    /// - Throws: the conflicts when other managers own changed fields and `force` is false.
    func apply(live: JSONValue?, config: JSONValue, entries: [ManagedFieldsEntry], manager: String, force: Bool)
        throws(ApplyConflicts) -> (object: JSONValue, entries: [ManagedFieldsEntry], changed: Bool)
    {
        let liveObject = live.map(withoutManagedFields)
        let configFields = relevant(FieldOwnership.fields(of: config, type: type))
        var merged = FieldOwnership.merge(liveObject, config, type: type)
        var others: [ManagedFieldsEntry] = []
        var previous: ManagedFieldsEntry?
        for entry in entries {
            if entry.isApply && entry.manager == manager && entry.subresource == subresource {
                previous = entry
            } else {
                others.append(entry)
            }
        }
        // Fields this manager applied last time but not now, and nobody else owns, are removed.
        if let previous {
            var ownedByOthers = FieldSet()
            for e in others { ownedByOthers = ownedByOthers.union(e.fields) }
            let dropped = previous.fields.subtracting(configFields).subtracting(ownedByOthers)
            let paths = dropped.paths.filter { !$0.isEmpty }
            if !paths.isEmpty { merged = FieldOwnership.removing(paths, from: merged, type: type) }
        }
        let comparison = FieldOwnership.compare(liveObject, merged, type: type)
        let changed = relevant(comparison.changed)
        let removed = relevant(comparison.removed)
        var conflicts: [Conflict] = []
        for e in others {
            let overlap = e.fields.intersection(changed)
            for path in overlap.paths where !path.isEmpty { conflicts.append(Conflict(manager: e, path: path)) }
        }
        if !conflicts.isEmpty && !force { throw ApplyConflicts(conflicts: conflicts) }
        var result: [ManagedFieldsEntry] = others.map { e in
            var e = e
            e.fields = e.fields.subtracting(changed).subtracting(removed)
            return e
        }
        let objectChanged = liveObject != merged
        var mine = previous ?? ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: nil,
                                                  fields: FieldSet(), subresource: subresource)
        mine.fields = configFields
        mine.apiVersion = apiVersion
        if objectChanged { mine.time = now }
        if let index = entries.firstIndex(where: { $0.isApply && $0.manager == manager && $0.subresource == subresource }) {
            // Keep the entry where it was so the result stays stable.
            let othersBefore = entries[..<index].filter { !($0.isApply && $0.manager == manager && $0.subresource == subresource) }.count
            result.insert(mine, at: min(othersBefore, result.count))
        } else {
            result.append(mine)
        }
        return (merged, result.filter { !$0.fields.isEmpty }, objectChanged)
    }

    private func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        var o = object
        o[path: ["metadata", "managedFields"]] = nil
        return o
    }
}
