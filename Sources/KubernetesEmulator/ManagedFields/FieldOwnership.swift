import JSONCore

/// The field-set computations of structured-merge-diff that server-side apply and managedFields rely on.
enum FieldOwnership {
    /// The `f:` element key of a member.
    static func fieldKey(_ name: String) -> String { "f:" + name }

    /// The element key of a list item: `k:{…}` for associative lists, `v:…` for sets.
    static func itemKey(_ item: JSONValue, type: OwnershipType) -> String {
        switch type {
        case .listMap(let keys, _):
            var k: [String: JSONValue] = [:]
            for key in keys { if let v = item[key] { k[key] = v } }
            return "k:" + GoJSONWriter.sorted.string(.object(k))
        case .set:
            return "v:" + GoJSONWriter.sorted.string(item)
        default:
            return "i:0"
        }
    }

    // MARK: Fields of an applied configuration

    /// The fields an applied configuration sets (structured-merge-diff's `ToFieldSet`).
    static func fields(of value: JSONValue, type: OwnershipType) -> FieldSet {
        var set = FieldSet()
        collect(value, type: type, path: [], into: &set)
        return set
    }

    private static func collect(_ value: JSONValue, type: OwnershipType, path: [String], into set: inout FieldSet) {
        switch (value, type) {
        case (.object(let members), _) where type.isGranularObject:
            for (key, child) in members {
                let childPath = path + [fieldKey(key)]
                guard let childType = type.member(key) else {
                    set.insert(childPath)
                    continue
                }
                collect(child, type: childType, path: childPath, into: &set)
                let emptyMap: Bool = if case .object(let m) = child { m.isEmpty } else { false }
                if child.isNull || emptyMap || !type.isDeclaredField(key) {
                    set.insert(childPath)
                }
            }
        case (.array(let items), .listMap(_, let element)):
            for item in items {
                let itemPath = path + [itemKey(item, type: type)]
                set.insert(itemPath)
                collect(item, type: element, path: itemPath, into: &set)
            }
        case (.array(let items), .set):
            for item in items { set.insert(path + [itemKey(item, type: type)]) }
        default:
            if !path.isEmpty { set.insert(path) }
        }
    }

    // MARK: Comparison

    /// What changed between two versions of an object.
    struct Comparison {
        /// The added.
        var added = FieldSet()
        /// The modified.
        var modified = FieldSet()
        /// The removed.
        var removed = FieldSet()

        /// The changed.
        var changed: FieldSet { added.union(modified) }
    }

    /// Compares `lhs` (live) with `rhs` (new) like structured-merge-diff's `Compare`.
    static func compare(_ lhs: JSONValue?, _ rhs: JSONValue?, type: OwnershipType) -> Comparison {
        var c = Comparison()
        compare(lhs, rhs, type: type, path: [], into: &c)
        return c
    }

    private static func isEmptyObjectOrNull(_ v: JSONValue?) -> Bool {
        guard let v else { return true }
        if v.isNull { return true }
        if case .object(let m) = v { return m.isEmpty }
        return false
    }

    private static func compare(_ lhs: JSONValue?, _ rhs: JSONValue?, type: OwnershipType, path: [String], into c: inout Comparison) {
        let bothEmpty = isEmptyObjectOrNull(lhs) && isEmptyObjectOrNull(rhs)
        let lhsIsObject = lhs?.objectValue != nil
        let rhsIsObject = rhs?.objectValue != nil
        if type.isGranularObject && !bothEmpty && (lhsIsObject || lhs == nil) && (rhsIsObject || rhs == nil) {
            let l = lhs?.objectValue ?? [:]
            let r = rhs?.objectValue ?? [:]
            for key in Set(l.keys).union(r.keys) {
                let childPath = path + [fieldKey(key)]
                guard let childType = type.member(key) else {
                    leaf(l[key], r[key], path: childPath, into: &c)
                    continue
                }
                compare(l[key], r[key], type: childType, path: childPath, into: &c)
            }
            if !path.isEmpty {
                if lhs == nil { c.added.insert(path) } else if rhs == nil { c.removed.insert(path) }
            }
            return
        }
        if case .listMap(_, let element) = type, case .array(let li) = lhs ?? .array([]), case .array(let ri) = rhs ?? .array([]),
           lhs?.arrayValue != nil || rhs?.arrayValue != nil {
            var lByKey: [String: JSONValue] = [:]
            for item in li { lByKey[itemKey(item, type: type)] = item }
            var rByKey: [String: JSONValue] = [:]
            for item in ri { rByKey[itemKey(item, type: type)] = item }
            for key in Set(lByKey.keys).union(rByKey.keys) {
                compare(lByKey[key], rByKey[key], type: element, path: path + [key], into: &c)
            }
            if !path.isEmpty {
                if lhs == nil { c.added.insert(path) } else if rhs == nil { c.removed.insert(path) }
            }
            return
        }
        if case .set = type, case .array(let li) = lhs ?? .array([]), case .array(let ri) = rhs ?? .array([]),
           lhs?.arrayValue != nil || rhs?.arrayValue != nil {
            let lKeys = Set(li.map { itemKey($0, type: type) })
            let rKeys = Set(ri.map { itemKey($0, type: type) })
            for k in rKeys.subtracting(lKeys) { c.added.insert(path + [k]) }
            for k in lKeys.subtracting(rKeys) { c.removed.insert(path + [k]) }
            if !path.isEmpty {
                if lhs == nil { c.added.insert(path) } else if rhs == nil { c.removed.insert(path) }
            }
            return
        }
        leaf(lhs, rhs, path: path, into: &c)
    }

    private static func leaf(_ lhs: JSONValue?, _ rhs: JSONValue?, path: [String], into c: inout Comparison) {
        guard !path.isEmpty else { return }
        switch (lhs, rhs) {
        case (nil, .some): c.added.insert(path)
        case (.some, nil): c.removed.insert(path)
        case (.some(let a), .some(let b)) where a != b: c.modified.insert(path)
        default: break
        }
    }

    // MARK: Merging an applied configuration

    /// Merges `config` into `live` (structured-merge-diff's `Merge`): granular members merge, atomic ones are
    /// replaced, associative list items merge by key.
    static func merge(_ live: JSONValue?, _ config: JSONValue, type: OwnershipType) -> JSONValue {
        switch (live, config) {
        case (.some(.object(let l)), .object(let c)) where type.isGranularObject:
            var out = l
            for (key, value) in c {
                if let childType = type.member(key) {
                    out[key] = merge(l[key], value, type: childType)
                } else {
                    out[key] = value
                }
            }
            return .object(out)
        case (.some(.array(let l)), .array(let c)):
            switch type {
            case .listMap(_, let element):
                var out = l
                for item in c {
                    let key = itemKey(item, type: type)
                    if let index = out.firstIndex(where: { itemKey($0, type: type) == key }) {
                        out[index] = merge(out[index], item, type: element)
                    } else {
                        out.append(item)
                    }
                }
                return .array(out)
            case .set:
                var out = l
                for item in c where !out.contains(item) { out.append(item) }
                return .array(out)
            default:
                return config
            }
        default:
            return config
        }
    }

    /// Removes the fields at `paths` from `value` (used to drop fields a manager stopped applying).
    static func removing(_ paths: [[String]], from value: JSONValue, type: OwnershipType) -> JSONValue {
        var result = value
        for path in paths.sorted(by: { $0.count > $1.count }) {
            result = remove(path[...], from: result, type: type) ?? result
        }
        return result
    }

    private static func remove(_ path: ArraySlice<String>, from value: JSONValue, type: OwnershipType) -> JSONValue? {
        guard let first = path.first else { return nil }
        if first.hasPrefix("f:"), case .object(var members) = value {
            let key = String(first.dropFirst(2))
            if path.count == 1 {
                members.removeValue(forKey: key)
            } else if let child = members[key] {
                members[key] = remove(path.dropFirst(), from: child, type: type.member(key) ?? .deduced) ?? child
            }
            return .object(members)
        }
        if case .array(var items) = value {
            guard let index = items.firstIndex(where: { itemKey($0, type: type) == first }) else { return value }
            if path.count == 1 {
                items.remove(at: index)
            } else if case .listMap(_, let element) = type {
                items[index] = remove(path.dropFirst(), from: items[index], type: element) ?? items[index]
            }
            return .array(items)
        }
        return value
    }

    /// Paths never tracked in managedFields (object identity and server-owned metadata).
    static let strippedPaths: FieldSet = {
        var s = FieldSet()
        for p in [["f:apiVersion"], ["f:kind"], ["f:metadata"], ["f:metadata", "f:name"], ["f:metadata", "f:namespace"],
                  ["f:metadata", "f:creationTimestamp"], ["f:metadata", "f:selfLink"], ["f:metadata", "f:uid"],
                  ["f:metadata", "f:generation"], ["f:metadata", "f:managedFields"], ["f:metadata", "f:resourceVersion"],
                  ["f:metadata", "f:deletionTimestamp"], ["f:metadata", "f:deletionGracePeriodSeconds"]] {
            s.insert(p)
        }
        return s
    }()

    /// Removes the stripped members (exactly; their descendants like labels stay).
    static func stripped(_ set: FieldSet) -> FieldSet {
        var result = set.subtracting(strippedPaths)
        // creationTimestamp and friends may have children in odd inputs; drop their whole subtrees.
        if var meta = result.children["f:metadata"] {
            for k in ["f:name", "f:namespace", "f:creationTimestamp", "f:selfLink", "f:uid", "f:generation", "f:managedFields",
                      "f:resourceVersion", "f:deletionTimestamp", "f:deletionGracePeriodSeconds"] {
                meta.children[k] = nil
            }
            result.children["f:metadata"] = meta.isEmpty ? nil : meta
        }
        return result
    }
}
