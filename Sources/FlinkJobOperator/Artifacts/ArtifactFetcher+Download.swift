import Crypto
import Foundation
import HTTPTransport
import Logging

extension ArtifactFetcher {
    /// Downloads into the content-addressed cache, reusing a cached copy when the expected digest is known.
    ///
    /// Redirects are followed here, not by libcurl, so that every hop is checked like the first request: its
    /// scheme (`http(s)`, never a downgrade from `https` to `http`), the cluster's `allowedURIPrefixes`, and —
    /// on the connection itself — the egress policy.
    func download(
        _ uri: String, fileName: String, expectedDigest: String?, allowedPrefixes: [String]?
    ) async throws(ArtifactError) -> LocalArtifact {
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: settings.cacheDirectory, withIntermediateDirectories: true)
        } catch {
            throw .unavailable(uri: uri, reason: "cannot create the cache directory \(settings.cacheDirectory): \(error)")
        }
        if let expectedDigest, let cached = cachedCopy(digest: expectedDigest, fileName: fileName) { return cached }
        let response = try await follow(uri, allowedPrefixes: allowedPrefixes)
        let temporary = "\(settings.cacheDirectory)/.download-\(UUID().uuidString)"
        defer { try? fileManager.removeItem(atPath: temporary) }
        guard fileManager.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw .unavailable(uri: uri, reason: "cannot write to \(settings.cacheDirectory)")
        }
        var digest = SHA256()
        var total: Int64 = 0
        do {
            if let length = response.headers["Content-Length"].flatMap(Int64.init), length > settings.maxDownloadBytes {
                throw ArtifactError.tooLarge(uri: uri, limit: settings.maxDownloadBytes)
            }
            for try await chunk in response.body {
                total += Int64(chunk.count)
                guard total <= settings.maxDownloadBytes else {
                    throw ArtifactError.tooLarge(uri: uri, limit: settings.maxDownloadBytes)
                }
                digest.update(data: chunk)
                try handle.write(contentsOf: chunk)
            }
            try handle.close()
        } catch let error as ArtifactError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw .unavailable(uri: uri, reason: String(describing: error))
        }
        let hex = digest.finalize().hexString
        let destination = cachePath(hex: hex, fileName: fileName)
        if !fileManager.fileExists(atPath: destination) {
            do { try fileManager.moveItem(atPath: temporary, toPath: destination) } catch {
                throw .unavailable(uri: uri, reason: "cannot store the download: \(error)")
            }
        }
        ArtifactCacheEviction.touch(destination)
        evictBeyondTheLimit(keeping: destination)
        logger.debug("Downloaded artifact", metadata: [
            "artifact.uri": "\(URLRedaction.redacted(uri))", "artifact.bytes": "\(total)",
        ])
        return LocalArtifact(path: destination, digest: "sha256:\(hex)", fileName: fileName)
    }

    /// The `200 OK` response for `uri`, after at most `settings.maxRedirects` checked redirects.
    private func follow(_ uri: String, allowedPrefixes: [String]?) async throws(ArtifactError) -> HTTPStreamingResponse {
        var current = uri
        var hops = 0
        while true {
            let response: HTTPStreamingResponse
            do {
                response = try await http.stream(HTTPRequest(
                    method: .get, url: current, timeout: settings.downloadTimeout, connectionGuard: connectionGuard(for: current)))
            } catch HTTPTransportError.connectionRefusedByPolicy(let reason) {
                logger.warning("Artifact fetch refused by the egress policy", metadata: [
                    "artifact.uri": "\(URLRedaction.redacted(uri))", "artifact.hop": "\(URLRedaction.redacted(current))",
                    "reason": "\(reason)",
                ])
                throw .egressRefused(uri: uri, reason: hops == 0 ? reason : "a redirect hop is refused: \(reason)")
            } catch {
                throw .unavailable(uri: uri, reason: String(describing: error))
            }
            switch ArtifactRedirect.decide(
                status: response.status, location: response.headers["Location"], from: current, hops: hops,
                maxRedirects: settings.maxRedirects, allowedPrefixes: allowedPrefixes)
            {
            case .done:
                return response
            case .follow(let next):
                current = next
                hops += 1
            case .refused(let reason):
                throw .egressRefused(uri: uri, reason: reason)
            case .failed(let reason):
                throw .unavailable(uri: uri, reason: reason)
            }
        }
    }

    /// Checks each address a request to `url` connects to against the egress policy.
    private func connectionGuard(for url: String) -> ConnectionGuard {
        let host = URLComponents(string: url)?.host ?? ""
        let policy = settings.egress
        return ConnectionGuard { address in policy.refusal(host: host, address: address) }
    }
}

/// What to do with one response of a download: the pure part of following redirects.
enum ArtifactRedirect: Equatable {
    /// The artifact itself (200).
    case done
    /// Request this URL next.
    case follow(String)
    /// The redirect goes somewhere the policy forbids.
    case refused(String)
    /// Neither the artifact nor a usable redirect.
    case failed(String)

    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    static func decide(
        status: Int, location: String?, from current: String, hops: Int, maxRedirects: Int, allowedPrefixes: [String]?
    ) -> ArtifactRedirect {
        if status == 200 { return .done }
        guard redirectStatuses.contains(status) else { return .failed("the server answered HTTP \(status)") }
        guard hops < maxRedirects else { return .failed("more than \(maxRedirects) redirects") }
        guard let location, !location.isEmpty, let base = URL(string: current),
            let target = URL(string: location, relativeTo: base)?.absoluteURL.absoluteString,
            let scheme = URLComponents(string: target)?.scheme?.lowercased()
        else { return .failed("a redirect (HTTP \(status)) without a usable Location") }
        let shown = URLRedaction.redacted(target)
        guard scheme == "http" || scheme == "https" else {
            return .refused("a redirect to \(shown) leaves http(s)")
        }
        if scheme == "http", URLComponents(string: current)?.scheme?.lowercased() == "https" {
            return .refused("a redirect from https to plain http (\(shown)) is refused")
        }
        if let allowedPrefixes, !URIPrefix.matchesAny(target, of: allowedPrefixes) {
            return .refused("a redirect to \(shown) is not under any allowed URI prefix")
        }
        return .follow(target)
    }
}
