/// Operator-wide settings for fetching and checking artifacts.
public struct ArtifactSettings: Sendable, Hashable {
    /// Directories `file://` artifacts must lie in (after resolving symlinks). Empty: `file://` is refused.
    public var artifactDirectories: [String]
    /// Where downloaded artifacts and generated archives are kept (content-addressed by SHA-256).
    public var cacheDirectory: String
    /// Largest artifact accepted from `http(s)://`.
    public var maxDownloadBytes: Int64
    /// Most bytes the cache keeps; beyond it the least recently used artifacts are evicted.
    public var maxCacheBytes: Int64
    /// Limit for one download.
    public var downloadTimeout: Duration
    /// The SQL runner jar (a `main` that runs each program argument as one SQL statement) used for SQL artifacts.
    public var sqlRunnerJar: String?
    /// The SQL runner's entry class.
    public var sqlRunnerEntryClass: String
    /// Flink's `flink-python` jar (from the distribution's `opt/`), used to run Python artifacts.
    public var pythonDriverJar: String?
    /// Where `http(s)://` artifacts and signatures may be fetched from (server-side request forgery guard).
    public var egress: EgressPolicy
    /// Most redirects one download follows (each hop is checked like the first request).
    public var maxRedirects: Int
    /// PEM public keys (files mounted into the operator's pod) trusted for artifact signatures on every cluster.
    public var trustedKeyFiles: [String]

    public init(
        artifactDirectories: [String] = [], cacheDirectory: String, maxDownloadBytes: Int64 = 512 << 20,
        downloadTimeout: Duration = .seconds(300), sqlRunnerJar: String? = nil,
        sqlRunnerEntryClass: String = "io.jobcontroller.sqlrunner.SqlRunner", pythonDriverJar: String? = nil,
        egress: EgressPolicy = EgressPolicy(), maxRedirects: Int = 5, trustedKeyFiles: [String] = [],
        maxCacheBytes: Int64 = 1 << 30
    ) {
        self.maxCacheBytes = maxCacheBytes
        self.trustedKeyFiles = trustedKeyFiles
        self.egress = egress
        self.maxRedirects = maxRedirects
        self.artifactDirectories = artifactDirectories
        self.cacheDirectory = cacheDirectory
        self.maxDownloadBytes = maxDownloadBytes
        self.downloadTimeout = downloadTimeout
        self.sqlRunnerJar = sqlRunnerJar
        self.sqlRunnerEntryClass = sqlRunnerEntryClass
        self.pythonDriverJar = pythonDriverJar
    }
}
