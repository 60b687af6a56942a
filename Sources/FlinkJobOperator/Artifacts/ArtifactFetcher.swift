import Foundation
import HTTPTransport
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An artifact available as a local file, with its SHA-256.
public struct LocalArtifact: Sendable, Hashable {
    /// Where the bytes are.
    public var path: String
    /// `sha256:<64 lowercase hex>`.
    public var digest: String
    /// The file name to show Flink (the URI's last path component).
    public var fileName: String
    /// Part of the operator itself (SQL runner, Python driver), not a user artifact: never garbage-collected.
    public var isRuntime: Bool

    public init(path: String, digest: String, fileName: String, isRuntime: Bool = false) {
        self.path = path
        self.digest = digest
        self.fileName = fileName
        self.isRuntime = isRuntime
    }
}

/// Gets artifacts from `file://` (confined to the configured directories) and `http(s)://` (size-limited,
/// content-addressed cache), and checks their digest.
///
/// Guarantees: a `file://` path containing `..`, or resolving (through symlinks) outside every artifact directory,
/// is refused; a download larger than the limit is aborted; a digest mismatch throws before any caller can upload.
public struct ArtifactFetcher: Sendable {
    public let settings: ArtifactSettings
    let http: any HTTPClient
    let logger: Logger

    public init(settings: ArtifactSettings, http: any HTTPClient, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
    }

    /// The artifact at `uri`, verified against `expectedDigest` when given.
    ///
    /// - Parameter cachedDigest: the digest an earlier fetch of `uri` found (`status.prepared`): when the cache
    ///   holds those bytes they are used without going to the source again, so a deploy after a stop does not
    ///   depend on an artifact server (or a file) that changed or went away meanwhile.
    /// - Parameter allowedPrefixes: the cluster's `artifactPolicy.allowedURIPrefixes`; every redirect hop must lie
    ///   under one of them too (the URI itself was admitted against them by `ClusterPolicy`).
    public func fetch(
        _ uri: String, expectedDigest: String?, cachedDigest: String? = nil, allowedPrefixes: [String]? = nil
    ) async throws(ArtifactError) -> LocalArtifact {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased() else {
            throw .unsupportedURI(uri)
        }
        let fileName = components.path.split(separator: "/").last.map(String.init) ?? "artifact"
        if let cachedDigest, expectedDigest == nil || expectedDigest?.lowercased() == cachedDigest.lowercased(),
            let cached = cachedCopy(digest: cachedDigest, fileName: fileName)
        {
            return cached
        }
        let artifact: LocalArtifact
        switch scheme {
        case "file":
            let path = try confinedPath(uri, components)
            let digest = try Self.digest(ofFileAt: path, uri: uri)
            keepCopy(of: path, digest: digest, fileName: fileName)
            artifact = LocalArtifact(path: path, digest: digest, fileName: fileName)
        case "http", "https":
            artifact = try await download(
                uri, fileName: fileName, expectedDigest: expectedDigest, allowedPrefixes: allowedPrefixes)
        default:
            throw .unsupportedURI(uri)
        }
        if let expectedDigest, expectedDigest.lowercased() != artifact.digest {
            logger.warning("Artifact digest mismatch", metadata: [
                "artifact.uri": "\(URLRedaction.redacted(uri))", "artifact.expected": "\(expectedDigest)",
                "artifact.actual": "\(artifact.digest)",
            ])
            // Bytes that failed verification do not stay in the cache (a file:// source itself stays where it is).
            let copy = cachePath(hex: String(artifact.digest.dropFirst(7)), fileName: fileName)
            if scheme != "file" || copy != artifact.path { try? FileManager.default.removeItem(atPath: copy) }
            throw .digestMismatch(expected: expectedDigest, actual: artifact.digest)
        }
        return artifact
    }

    /// The cached bytes with `digest`, if the cache holds them.
    func cachedCopy(digest: String, fileName: String) -> LocalArtifact? {
        guard digest.hasPrefix("sha256:") else { return nil }
        let path = cachePath(hex: String(digest.dropFirst(7)).lowercased(), fileName: fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        ArtifactCacheEviction.touch(path)
        return LocalArtifact(path: path, digest: digest.lowercased(), fileName: fileName)
    }

    /// Keeps a copy of a local file in the content-addressed cache (best effort: without it, the next deploy
    /// reads the file again).
    func keepCopy(of path: String, digest: String, fileName: String) {
        guard digest.hasPrefix("sha256:") else { return }
        let destination = cachePath(hex: String(digest.dropFirst(7)), fileName: fileName)
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: destination) else { return }
        try? fileManager.createDirectory(atPath: settings.cacheDirectory, withIntermediateDirectories: true)
        let temporary = "\(settings.cacheDirectory)/.copy-\(UUID().uuidString)"
        do {
            try fileManager.copyItem(atPath: path, toPath: temporary)
            try fileManager.moveItem(atPath: temporary, toPath: destination)
            ArtifactCacheEviction.touch(destination)
            evictBeyondTheLimit(keeping: destination)
        } catch {
            try? fileManager.removeItem(atPath: temporary)
        }
    }

    /// Trims the cache to `settings.maxCacheBytes`, least recently used first, never `keeping`.
    func evictBeyondTheLimit(keeping: String) {
        let removed = ArtifactCacheEviction.evict(
            directory: settings.cacheDirectory, limit: settings.maxCacheBytes, keep: keeping)
        if !removed.isEmpty {
            logger.info("Evicted artifacts from the cache", metadata: [
                "artifact.evicted": "\(removed.count)", "artifact.cache_limit_bytes": "\(settings.maxCacheBytes)",
            ])
        }
    }

    func cachePath(hex: String, fileName: String) -> String {
        let suffix = fileName.split(separator: ".").count > 1 ? "." + (fileName.split(separator: ".").last ?? "") : ""
        return "\(settings.cacheDirectory)/\(hex)\(suffix)"
    }

    /// The real path of a `file://` URI, if it lies inside an artifact directory.
    func confinedPath(_ uri: String, _ components: URLComponents) throws(ArtifactError) -> String {
        if let host = components.host, !host.isEmpty, host != "localhost" {
            throw .unsupportedURI(uri)
        }
        let path = components.path
        guard path.hasPrefix("/") else { throw .pathNotAllowed(path: path, reason: "the path must be absolute") }
        if path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            throw .pathNotAllowed(path: path, reason: "it contains '..' or '.' segments")
        }
        guard !settings.artifactDirectories.isEmpty else {
            throw .pathNotAllowed(path: path, reason: "no artifact directories are configured, so file:// is disabled")
        }
        guard let resolved = Self.realPath(path) else {
            throw .unavailable(uri: uri, reason: "no such file")
        }
        let allowed = settings.artifactDirectories.compactMap(Self.realPath)
        guard allowed.contains(where: { resolved.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw .pathNotAllowed(
                path: path,
                reason: "it resolves to \(resolved), outside the artifact directories \(settings.artifactDirectories)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .unavailable(uri: uri, reason: "not a regular file")
        }
        return resolved
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func digest(ofFileAt path: String, uri: String) throws(ArtifactError) -> String {
        do {
            return "sha256:" + (try Digests.sha256(fileAt: path)).hexString
        } catch {
            throw .unavailable(uri: uri, reason: "cannot read \(path): \(error)")
        }
    }
}
