import JSONCore

/// How server-side apply tracks ownership below a field: granular structs and maps, atomic values, associative
/// lists keyed by some members, and sets.
indirect enum OwnershipType: Sendable {
    /// Named fields (declared members); undeclared members follow `extra` when given.
    case structure([String: OwnershipType], extra: OwnershipType?)
    /// A map: every member is an element of the same type.
    case map(OwnershipType)
    /// Replaced as a whole.
    case atomic
    /// `x-kubernetes-list-type: map` with its keys.
    case listMap(keys: [String], element: OwnershipType)
    /// `x-kubernetes-list-type: set`.
    case set
    /// Free-form content (`x-kubernetes-preserve-unknown-fields`): objects are granular maps, lists atomic.
    case deduced

    /// Ownership of ObjectMeta as server-side apply sees it.
    static let objectMeta = OwnershipType.structure([
        "labels": .map(.atomic), "annotations": .map(.atomic), "finalizers": .set,
        "ownerReferences": .listMap(keys: ["uid"], element: .deduced),
    ], extra: .atomic)

    /// The ownership type of a custom resource with `schema`.
    static func customResource(_ schema: StructuralSchema?) -> OwnershipType {
        guard let schema else { return .structure(["metadata": objectMeta], extra: .deduced) }
        var fields: [String: OwnershipType] = [:]
        for (k, v) in schema.properties { fields[k] = from(v) }
        fields["metadata"] = objectMeta
        fields["apiVersion"] = .atomic
        fields["kind"] = .atomic
        return .structure(fields, extra: schema.preserveUnknownFields ? .deduced : nil)
    }

    /// The ownership type of a schema node.
    static func from(_ s: StructuralSchema) -> OwnershipType {
        switch s.type {
        case "object":
            if !s.properties.isEmpty {
                var fields: [String: OwnershipType] = [:]
                for (k, v) in s.properties { fields[k] = from(v) }
                var extra: OwnershipType?
                if case .schema(let a) = s.additionalProperties { extra = from(a) }
                if s.preserveUnknownFields { extra = .deduced }
                return .structure(fields, extra: extra)
            }
            if case .schema(let a) = s.additionalProperties { return .map(from(a)) }
            return .deduced
        case "array":
            switch s.listType {
            case "map": return .listMap(keys: s.listMapKeys, element: s.items.map(from) ?? .deduced)
            case "set": return .set
            default: return .atomic
            }
        default:
            return s.preserveUnknownFields ? .deduced : .atomic
        }
    }

    /// The ownership type of a built-in kind described by `goType`.
    static func builtin(_ goType: GoType) -> OwnershipType {
        switch goType {
        case .object(let s):
            var fields: [String: OwnershipType] = [:]
            for f in s.fields { fields[f.name] = f.name == "metadata" ? objectMeta : builtin(f.type) }
            return .structure(fields, extra: s.preservesUnknown ? .deduced : nil)
        case .map(let e): return .map(builtin(e))
        case .raw: return .deduced
        default: return .atomic
        }
    }

    /// The type of member `key` (for objects), or `nil` when undeclared.
    func member(_ key: String) -> OwnershipType? {
        switch self {
        case .structure(let fields, let extra): return fields[key] ?? extra
        case .map(let e): return e
        case .deduced: return .deduced
        default: return nil
        }
    }

    /// Whether `key` is a declared struct field (not a map element).
    func isDeclaredField(_ key: String) -> Bool {
        if case .structure(let fields, _) = self { return fields[key] != nil }
        return false
    }

    /// Whether members are owned individually (structs, maps, free-form objects).
    var isGranularObject: Bool {
        switch self {
        case .structure, .map, .deduced: true
        default: false
        }
    }
}
