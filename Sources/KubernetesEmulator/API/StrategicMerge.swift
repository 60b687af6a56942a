import JSONCore

/// A strategic merge patch for the built-in kinds the emulator serves: like a JSON merge patch, except that
/// `metadata.finalizers` merge as a set and `metadata.ownerReferences` merge by `uid` (their patch strategies),
/// and `$patch: delete` / `$deleteFromPrimitiveList` directives for those lists are honoured.
enum StrategicMerge {
    /// Applies a strategic merge patch.
    static func apply(_ patch: JSONValue, to object: JSONValue) -> JSONValue {
        var patch = patch
        var result = object
        if case .object(var meta) = patch["metadata"] ?? .null {
            if case .array(let added) = meta["finalizers"] ?? .null {
                var current = object[path: ["metadata", "finalizers"]]?.arrayValue ?? []
                for f in added where !current.contains(f) { current.append(f) }
                result[path: ["metadata", "finalizers"]] = .array(current)
                meta["finalizers"] = nil
            }
            if case .array(let removed) = meta["$deleteFromPrimitiveList/finalizers"] ?? .null {
                let current = result[path: ["metadata", "finalizers"]]?.arrayValue ?? []
                result[path: ["metadata", "finalizers"]] = .array(current.filter { !removed.contains($0) })
                meta["$deleteFromPrimitiveList/finalizers"] = nil
            }
            if case .array(let refs) = meta["ownerReferences"] ?? .null {
                var current = object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
                for ref in refs {
                    let uid = ref["uid"]
                    let index = current.firstIndex { $0["uid"] == uid }
                    if ref["$patch"]?.stringValue == "delete" {
                        if let index { current.remove(at: index) }
                    } else if let index {
                        current[index] = current[index].applyingMergePatch(ref)
                    } else {
                        current.append(ref)
                    }
                }
                result[path: ["metadata", "ownerReferences"]] = .array(current)
                meta["ownerReferences"] = nil
            }
            patch["metadata"] = .object(meta)
        }
        return result.applyingMergePatch(patch)
    }
}
