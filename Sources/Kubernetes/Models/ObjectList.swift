/// A list response (`<Kind>List`): the items plus the resourceVersion to watch from and paging data.
public struct ObjectList<Item: Codable & Sendable>: Sendable, Codable {
    /// The list's API version.
    public var apiVersion: String?
    /// The list kind (`FlinkJobList`).
    public var kind: String?
    /// The list's resourceVersion and `continue` token.
    public var metadata: ListMeta
    /// The items, in the server's order (by namespace, then name).
    public var items: [Item]

    /// A list with the given values.
    public init(metadata: ListMeta = ListMeta(), items: [Item], apiVersion: String? = nil, kind: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // Some servers send `"items": null` for an empty list.
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, items
    }
}

extension ObjectList: Equatable where Item: Equatable {}
extension ObjectList: Hashable where Item: Hashable {}
