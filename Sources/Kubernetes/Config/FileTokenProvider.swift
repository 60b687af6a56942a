import Foundation
import HTTPTransport
import Logging
import Synchronization

/// A bearer token read from a file and re-read periodically (bound service-account tokens rotate).
///
/// Guarantees: the file is read at most once per `refreshInterval` (default one minute, as kubelet rotates
/// tokens well before expiry); when a reload fails or finds an empty file, the last good token keeps being used
/// and one warning is logged until a reload succeeds again.
public final class FileTokenProvider: BearerTokenProvider {
    /// The default re-read interval: one minute.
    public static let defaultRefreshInterval = Duration.seconds(60)

    private struct State {
        var token: String
        var loadedAt: ContinuousClock.Instant
        var warned: Bool
    }

    /// The token file.
    public let path: String
    /// How long a read token is used before the file is read again.
    public let refreshInterval: Duration
    private let logger: Logger
    private let state: Mutex<State>

    /// Reads the token once now.
    ///
    /// - Throws: `KubernetesError.invalidConfiguration` when the file cannot be read or is empty: without a
    ///   first token there is nothing to fall back on.
    public init(path: String, refreshInterval: Duration = FileTokenProvider.defaultRefreshInterval, logger: Logger)
        throws
    {
        self.path = path
        self.refreshInterval = refreshInterval
        self.logger = logger
        let token: String
        do {
            token = try Self.read(path)
        } catch {
            throw KubernetesError.invalidConfiguration("cannot read the bearer token file \(path): \(error)")
        }
        state = Mutex(State(token: token, loadedAt: .now, warned: false))
    }

    /// The current token: the cached one, or the file's content when the cache is older than `refreshInterval`.
    public func bearerToken() async throws -> String {
        let now = ContinuousClock.now
        let cached = state.withLock { state -> String? in
            now - state.loadedAt < refreshInterval ? state.token : nil
        }
        if let cached { return cached }

        // The read happens outside the lock so concurrent callers never wait on the file system behind it.
        let reloaded = Result(catching: { try Self.read(self.path) })
        return state.withLock { state -> String in
            switch reloaded {
            case .success(let token):
                state.token = token
                state.loadedAt = now
                state.warned = false
            case .failure(let error):
                // Retry at the next interval, not on every request.
                state.loadedAt = now
                if !state.warned {
                    state.warned = true
                    logger.warning(
                        "Cannot reload the bearer token file; keeping the last good token",
                        metadata: ["token.file": "\(path)", "error": "\(error)"])
                }
            }
            return state.token
        }
    }

    private static func read(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw EmptyTokenFile() }
        return token
    }

    private struct EmptyTokenFile: Error, CustomStringConvertible {
        var description: String { "the file is empty" }
    }
}
