import Foundation

/// `allowedURIPrefixes` matching on URI components rather than on characters.
///
/// A plain `hasPrefix` lets `https://repo.example.com` admit `https://repo.example.com.evil.io/x.jar` and
/// `https://repo.example.com@evil.io/x.jar`, and `https://repo.example.com/releases` admit
/// `https://repo.example.com/releases-evil/x.jar`. Here a URI matches a prefix when the scheme and host are the
/// same (case-insensitive), the effective ports are equal, the URI carries no user info, its path has no `.` or
/// `..` segment (raw or percent-encoded), and the prefix's path is a whole-segment prefix of the URI's path.
public enum URIPrefix {
    /// Whether `uri` lies under `prefix`.
    public static func matches(_ uri: String, prefix: String) -> Bool {
        guard let candidate = URLComponents(string: uri), let allowed = URLComponents(string: prefix),
            let scheme = candidate.scheme?.lowercased(), scheme == allowed.scheme?.lowercased()
        else { return false }
        guard candidate.user == nil, candidate.password == nil else { return false }
        guard (candidate.host ?? "").lowercased() == (allowed.host ?? "").lowercased(),
            effectivePort(candidate, scheme: scheme) == effectivePort(allowed, scheme: scheme)
        else { return false }
        let segments = candidate.path.split(separator: "/", omittingEmptySubsequences: false)
        let rawSegments = candidate.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == "." || $0 == ".." }),
            !rawSegments.contains(where: { $0.lowercased().contains("%2f") || $0.lowercased().contains("%5c") })
        else { return false }
        let allowedPath = allowed.path
        guard !allowedPath.isEmpty, allowedPath != "/" else { return true }
        if allowedPath.hasSuffix("/") { return candidate.path.hasPrefix(allowedPath) }
        return candidate.path == allowedPath || candidate.path.hasPrefix(allowedPath + "/")
    }

    /// Whether `uri` lies under any of `prefixes`.
    public static func matchesAny(_ uri: String, of prefixes: [String]) -> Bool {
        prefixes.contains { matches(uri, prefix: $0) }
    }

    private static func effectivePort(_ components: URLComponents, scheme: String) -> Int? {
        components.port ?? ["http": 80, "https": 443][scheme]
    }
}
