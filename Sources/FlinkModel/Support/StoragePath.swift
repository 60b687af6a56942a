/// Paths of checkpoint and savepoint storage in the spelling Flink reports them.
enum StoragePath {
    /// The form Flink prints: `file:///x` and plain `/x` become `file:/x`; no trailing slash; a path naming a
    /// snapshot's `_metadata` file means the snapshot's directory.
    static func canonical(_ path: String) -> String {
        var text = path
        if text.hasPrefix("file:///") {
            text = "file:/" + text.dropFirst("file:///".count)
        } else if text.hasPrefix("/") {
            text = "file:" + text
        }
        while text.hasSuffix("/") && text.count > 1 { text.removeLast() }
        if text.hasSuffix("/_metadata") { text.removeLast("/_metadata".count) }
        return text
    }

    /// `name` inside `directory`.
    static func join(_ directory: String, _ name: String) -> String {
        canonical(directory) + "/" + name
    }
}
