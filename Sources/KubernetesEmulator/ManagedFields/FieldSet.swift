import Foundation
import JSONCore

/// A set of field paths in the `FieldsV1` trie form (`{"f:spec": {"f:args": {}}}`), as server-side apply uses to
/// record which manager owns which fields.
struct FieldSet: Sendable, Equatable {
    /// Children by path element key (`f:name`, `k:{"type":"Ready"}`, `v:"x"`, `i:0`).
    var children: [String: FieldSet] = [:]
    /// Whether the path ending here is itself a member (`".": {}` when it also has children).
    var isMember = false

    /// The empty set.
    static let empty = FieldSet()

    /// Whether the set has no members.
    var isEmpty: Bool { !isMember && children.isEmpty }

    /// Inserts the path (a list of element keys).
    mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else {
            isMember = true
            return
        }
        var child = children[first] ?? FieldSet()
        child.insert(path.dropFirst())
        children[first] = child
    }

    mutating func insert(_ path: [String]) { insert(path[...]) }

    /// Every member path.
    var paths: [[String]] {
        var out: [[String]] = []
        if isMember { out.append([]) }
        for key in children.keys.sorted() {
            guard let child = children[key] else { continue }
            out += child.paths.map { [key] + $0 }
        }
        return out
    }

    /// Whether the path is a member.
    func contains(_ path: ArraySlice<String>) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first]?.contains(path.dropFirst()) ?? false
    }

    /// Whether the path is a member.
    func contains(_ path: [String]) -> Bool { contains(path[...]) }

    /// Every member of either set.
    func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (key, child) in other.children {
            result.children[key] = (result.children[key] ?? FieldSet()).union(child)
        }
        return result
    }

    /// Removes exactly the members of `other`.
    func subtracting(_ other: FieldSet) -> FieldSet {
        var result = self
        if other.isMember { result.isMember = false }
        for (key, child) in other.children {
            guard let mine = result.children[key] else { continue }
            let rest = mine.subtracting(child)
            result.children[key] = rest.isEmpty ? nil : rest
        }
        return result
    }

    /// Removes the members of `other` and everything below them.
    func subtractingRecursively(_ other: FieldSet) -> FieldSet {
        var result = self
        for (key, child) in other.children {
            guard let mine = result.children[key] else { continue }
            if child.isMember {
                result.children[key] = nil
            } else {
                let rest = mine.subtractingRecursively(child)
                result.children[key] = rest.isEmpty ? nil : rest
            }
        }
        return result
    }

    /// The members of both sets.
    func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.isMember = isMember && other.isMember
        for (key, child) in children {
            guard let theirs = other.children[key] else { continue }
            let common = child.intersection(theirs)
            if !common.isEmpty { result.children[key] = common }
        }
        return result
    }

    /// The `fieldsV1` JSON.
    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, child) in children { members[key] = child.json }
        if isMember && !children.isEmpty { members["."] = .emptyObject }
        return .object(members)
    }

    /// Parses `fieldsV1` JSON.
    init(json: JSONValue) {
        guard case .object(let members) = json else { return }
        for (key, value) in members {
            if key == "." {
                isMember = true
            } else {
                var child = FieldSet(json: value)
                if case .object(let m) = value, m.isEmpty { child.isMember = true }
                children[key] = child
            }
        }
    }

    /// An empty value.
    init() {}

    /// The printed form of a path, like structured-merge-diff prints it (`.spec.args`, `[type="Ready"]`).
    static func describe(_ path: [String]) -> String {
        path.map { element -> String in
            if element.hasPrefix("f:") { return "." + element.dropFirst(2) }
            if element.hasPrefix("i:") { return "[" + element.dropFirst(2) + "]" }
            if element.hasPrefix("v:") { return "[=" + element.dropFirst(2) + "]" }
            if element.hasPrefix("k:"), let data = String(element.dropFirst(2)).data(using: .utf8),
               let value = try? JSONValue(parsing: data), case .object(let keys) = value {
                return "[" + keys.keys.sorted().map { k in
                    "\(k)=" + GoJSONWriter.sorted.string(keys[k] ?? .null)
                }.joined(separator: ",") + "]"
            }
            return element
        }.joined()
    }
}
