import Foundation
import HTTPTransport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real crash at the worst moment for end-to-end tests: a proxy in front of Flink that kills a process with
/// SIGKILL the instant Flink has accepted a `POST /jars/:id/run`, before the answer reaches it. The process had
/// recorded its intent (the job id) and Flink runs the job, but the outcome was never recorded — no test hook in
/// the operator is needed for this.
public final class CrashOnAcceptedRun: Sendable {
    /// The armed process and the kills so far, shared with the proxy's hook.
    private final class Trap: Sendable {
        let armed: Mutex<Int32?>
        let kills: Mutex<Int>

        init() {
            armed = Mutex(nil)
            kills = Mutex(0)
        }
    }

    public let proxy: FlinkRESTProxy
    private let trap: Trap

    private init(proxy: FlinkRESTProxy, trap: Trap) {
        self.proxy = proxy
        self.trap = trap
    }

    /// Point the operator's cluster at this URL instead of Flink's.
    public var url: String { proxy.url }

    /// How many processes were killed so far.
    public var killCount: Int { trap.kills.withLock { $0 } }

    /// Starts the proxy in front of `flinkRESTURL`; nothing is killed until `arm(pid:)`.
    public static func start(in front: String, http: CurlHTTPClient) async throws -> CrashOnAcceptedRun {
        let trap = Trap()
        let proxy = try await FlinkRESTProxy.start(forwardingTo: front, http: http) { method, path, status in
            guard method == "POST", path.contains("/jars/"), path.split(separator: "?").first?.hasSuffix("/run") == true,
                (200..<300).contains(status)
            else { return .forward }
            guard let pid = trap.armed.withLock({ pid -> Int32? in defer { pid = nil }; return pid }) else { return .forward }
            kill(pid, SIGKILL)
            trap.kills.withLock { $0 += 1 }
            return .drop
        }
        return CrashOnAcceptedRun(proxy: proxy, trap: trap)
    }

    /// Kills `pid` at the next accepted `jars/:id/run` (once).
    public func arm(pid: Int32) {
        trap.armed.withLock { $0 = pid }
    }

    public func stop() {
        proxy.stop()
    }
}
