/// Options of create and replace calls.
public struct WriteOptions: Sendable, Hashable {
    /// The field manager recorded in `managedFields`.
    public var fieldManager: String?
    /// Validate and answer without persisting (`dryRun=All`).
    public var dryRun: Bool

    /// Options with the given values.
    public init(fieldManager: String? = nil, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }

    /// The query items (`dryRun`, `fieldManager`).
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager { items.append(("fieldManager", fieldManager)) }
        return items
    }
}

/// Options of patch calls.
public struct PatchOptions: Sendable, Hashable {
    /// The field manager; required for server-side apply.
    public var fieldManager: String?
    /// Server-side apply only: take ownership of fields other managers own instead of failing with 409.
    public var force: Bool
    /// Validate and answer without persisting (`dryRun=All`).
    public var dryRun: Bool

    /// Options with the given values.
    public init(fieldManager: String? = nil, force: Bool = false, dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
    }

    /// Server-side apply as `manager`, optionally forcing ownership.
    public static func apply(fieldManager: String, force: Bool = false) -> PatchOptions {
        PatchOptions(fieldManager: fieldManager, force: force)
    }

    /// The query items for `patch` (`force` only for apply patches).
    func queryItems(for patch: Patch) -> [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager { items.append(("fieldManager", fieldManager)) }
        // The server refuses `force` on anything but apply patches.
        if force, case .apply = patch { items.append(("force", "true")) }
        return items
    }
}
