/// `metav1.ListMeta`: metadata of a list response (and of a `Status`).
public struct ListMeta: Sendable, Hashable, Codable {
    /// The version the list was served at; start a watch from here.
    public var resourceVersion: String?
    /// The token for the next page (`continue`); `nil` or empty on the last page.
    public var continueToken: String?
    /// How many items remain after this page, when the server can tell.
    public var remainingItemCount: Int64?

    /// List metadata with the given values.
    public init(resourceVersion: String? = nil, continueToken: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }

    /// The next page's token when there is one (an empty `continue` means "no more").
    public var nextPageToken: String? {
        guard let continueToken, !continueToken.isEmpty else { return nil }
        return continueToken
    }

    private enum CodingKeys: String, CodingKey {
        case resourceVersion
        case continueToken = "continue"
        case remainingItemCount
    }
}
