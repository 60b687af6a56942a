/// One uploaded jar of `GET /jars`.
public struct JarFileInfo: Codable, Hashable, Sendable {
    /// A program entry point found in the jar's manifest.
    public struct EntryPoint: Codable, Hashable, Sendable {
        /// The class name.
        public var name: String
        /// Its description, if any.
        public var description: String?

        /// Creates an entry point.
        public init(name: String, description: String? = nil) {
            self.name = name
            self.description = description
        }
    }

    /// The jar id.
    public var id: String
    /// The file name it was uploaded under.
    public var name: String
    /// Upload time (epoch ms).
    public var uploaded: Int64
    /// Entry points; empty for a jar without `Main-Class` (then `entryClass` must be given on run).
    public var entry: [EntryPoint]

    /// Creates the value.
    public init(id: String, name: String, uploaded: Int64, entry: [EntryPoint]) {
        self.id = id
        self.name = name
        self.uploaded = uploaded
        self.entry = entry
    }
}

/// The body of `GET /jars`.
struct JarList: Codable {
    var address: String?
    var files: [JarFileInfo]
}
