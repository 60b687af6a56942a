import Foundation

/// Keeps the content-addressed artifact cache under its size limit, least recently used first.
///
/// A file's modification time is its last use: the fetcher sets it when it stores the file and when it serves a
/// cached copy. Temporary files (names starting with `.`) are never evicted, nor the file just stored.
/// Evicting a file another task is uploading is safe: the upload holds it open, and a later deploy fetches again.
enum ArtifactCacheEviction {
    struct Entry: Equatable {
        var path: String
        var bytes: Int64
        var lastUsed: Date
    }

    /// The files to delete so that the cache holds at most `limit` bytes, oldest use first; never `keep`.
    static func victims(_ entries: [Entry], limit: Int64, keep: String?) -> [String] {
        var total = entries.reduce(Int64(0)) { $0 + $1.bytes }
        var victims: [String] = []
        for entry in entries.sorted(by: { ($0.lastUsed, $0.path) < ($1.lastUsed, $1.path) }) where total > limit {
            guard entry.path != keep else { continue }
            victims.append(entry.path)
            total -= entry.bytes
        }
        return victims
    }

    /// The cache's files (not temporaries) with their sizes and last use.
    static func entries(in directory: String) -> [Entry] {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.compactMap { name in
            let path = "\(directory)/\(name)"
            guard let attributes = try? fileManager.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
            else { return nil }
            return Entry(path: path, bytes: size.int64Value, lastUsed: modified)
        }
    }

    /// Evicts until the cache is under `limit`; returns what it removed.
    @discardableResult
    static func evict(directory: String, limit: Int64, keep: String?) -> [String] {
        let victims = victims(entries(in: directory), limit: limit, keep: keep)
        for path in victims { try? FileManager.default.removeItem(atPath: path) }
        return victims
    }

    /// Marks `path` as used now.
    static func touch(_ path: String) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
    }
}
