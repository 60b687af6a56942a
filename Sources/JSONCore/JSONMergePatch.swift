extension JSONValue {
    /// Applies an RFC 7386 JSON Merge Patch and returns the result.
    ///
    /// Objects merge member-wise, `null` deletes a member, and anything else (arrays included) replaces the target.
    public func applyingMergePatch(_ patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, value) in patchMembers {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).applyingMergePatch(value)
            }
        }
        return .object(result)
    }

    /// The RFC 7386 merge patch that turns `self` into `target` (`null` for removed members).
    ///
    /// Applying the result to `self` yields `target` whenever `target` holds no `null` members.
    public func mergePatch(to target: JSONValue) -> JSONValue {
        guard case .object(let source) = self, case .object(let goal) = target else { return target }
        var patch: [String: JSONValue] = [:]
        for (key, value) in goal where source[key] != value {
            patch[key] = (source[key] ?? .null).mergePatch(to: value)
        }
        for key in source.keys where goal[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
