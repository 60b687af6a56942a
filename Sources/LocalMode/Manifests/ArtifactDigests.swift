import FlinkJobOperator
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 digests of local artifact files, recomputed only when a file's identity or timestamps change.
///
/// A reload after every burst of file events asks for the digest of every `file://` artifact; hashing a large jar
/// each time would be wasteful, so the digest is cached under the file's `stat` (device, inode, size, mtime,
/// ctime): a rewritten or replaced file gets a new entry.
public final class ArtifactDigests: Sendable {
    private struct Stamp: Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64
    }

    private let cache = Mutex<[String: (stamp: Stamp, digest: String)]>([:])

    /// An empty cache.
    public init() {}

    /// `sha256:<hex>` of the regular file at `path`, or `nil` when it cannot be read.
    public func digest(ofFileAt path: String) -> String? {
        guard let stamp = Self.stamp(path) else { return nil }
        if let cached = cache.withLock({ $0[path] }), cached.stamp == stamp { return cached.digest }
        guard let bytes = try? Digests.sha256(fileAt: path) else { return nil }
        let digest = "sha256:" + bytes.hexString
        // The file may have changed while it was read: cache only what the stamp still describes.
        if Self.stamp(path) == stamp { cache.withLock { $0[path] = (stamp, digest) } }
        return digest
    }

    private static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Stamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }
}
