import Foundation

/// Leader election timing and identity (client-go `LeaderElectionConfig`; DESIGN §2).
public struct LeaderElectionConfiguration: Sendable, Hashable {
    /// The lock's name, for the `leader_election_master_status{name}` metric and logs.
    public var name: String
    /// This candidate's identity (`hostname_uuid`).
    public var identity: String
    /// How long others wait, after they last saw the record change, before taking over (15 s).
    public var leaseDuration: Duration
    /// How long the leader keeps trying to renew before it gives up leading (10 s).
    public var renewDeadline: Duration
    /// The pause between attempts to acquire or renew (2 s).
    public var retryPeriod: Duration

    /// A configuration; call `validate()` before use (the elector does).
    public init(
        name: String, identity: String = LeaderElectionConfiguration.defaultIdentity(),
        leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)
    ) {
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    /// `<hostname>_<uuid>`: unique per process, readable in `kubectl get lease`.
    public static func defaultIdentity(hostname: String = ProcessInfo.processInfo.hostName) -> String {
        "\(hostname)_\(UUID().uuidString.lowercased())"
    }

    /// The jitter factor of client-go: the renew deadline must leave room for more than one retry.
    public static let jitterFactor = 1.2

    /// Checks `leaseDuration > renewDeadline > 1.2 × retryPeriod > 0` and a non-empty identity.
    ///
    /// - Throws: `ControllerRuntimeError.invalidLeaderElectionConfiguration` saying which rule is broken.
    public func validate() throws {
        func fail(_ why: String) -> ControllerRuntimeError { .invalidLeaderElectionConfiguration(why) }
        guard !identity.isEmpty else { throw fail("the identity is empty") }
        guard retryPeriod > .zero else { throw fail("retryPeriod (\(retryPeriod)) must be positive") }
        guard leaseDuration > renewDeadline else {
            throw fail("leaseDuration (\(leaseDuration)) must be greater than renewDeadline (\(renewDeadline))")
        }
        guard renewDeadline > retryPeriod * Self.jitterFactor else {
            throw fail(
                "renewDeadline (\(renewDeadline)) must be greater than \(Self.jitterFactor) × retryPeriod (\(retryPeriod))")
        }
        guard leaseDuration >= .seconds(1) else {
            throw fail("leaseDuration (\(leaseDuration)) must be at least 1s (the Lease stores whole seconds)")
        }
    }

    /// `leaseDuration` in whole seconds, rounded up, as the Lease stores it.
    var leaseDurationSeconds: Int {
        let (seconds, attoseconds) = leaseDuration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}
