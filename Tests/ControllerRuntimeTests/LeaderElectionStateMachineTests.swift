@testable import ControllerRuntime
import Kubernetes
import Testing

@Suite struct LeaderElectionStateMachineTests {
    private let t0 = ContinuousClock.now
    private let wall = MicroTime(microsecondsSince1970: 1_700_000_000_123_456)
    private let wall2 = MicroTime(microsecondsSince1970: 1_700_000_005_000_000)

    private func machine(_ identity: String = "me") -> LeaderElectionStateMachine {
        LeaderElectionStateMachine(identity: identity, leaseDurationSeconds: 15, renewDeadline: .seconds(10))
    }

    private func held(by holder: String?, renew: MicroTime? = nil, transitions: Int = 2, version: String = "7") -> LeaseRecord {
        LeaseRecord(
            holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: renew, renewTime: renew,
            leaseTransitions: transitions, version: version)
    }

    @Test func anAbsentLeaseIsCreatedWithUsAsHolderAndWeLeadOnceStored() {
        var m = machine()
        let action = m.recordRead(nil, now: t0, wallClock: wall)
        #expect(
            action
                == .create(
                    LeaseRecord(
                        holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall,
                        leaseTransitions: 0)))
        #expect(m.writeSucceeded(held(by: "me", renew: wall, transitions: 0, version: "1"), now: t0) == .becameLeader)
        #expect(m.isLeading)
    }

    @Test func aLeaseHeldByAnotherIsLeftAloneUntilItStaysUnchangedForItsDuration() {
        var m = machine()
        let theirs = held(by: "other", renew: wall)
        #expect(m.recordRead(theirs, now: t0, wallClock: wall) == .retryLater)
        #expect(m.recordRead(theirs, now: t0 + .seconds(14), wallClock: wall) == .retryLater)
        let action = m.recordRead(theirs, now: t0 + .seconds(15), wallClock: wall2)
        #expect(
            action
                == .update(
                    LeaseRecord(
                        holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: wall2, renewTime: wall2,
                        leaseTransitions: 3, version: "7")))
    }

    @Test func aRenewingHolderNeverExpiresHoweverLongWeWatch() {
        var m = machine()
        for second in stride(from: 0, through: 120, by: 2) {
            let renewed = held(
                by: "other", renew: MicroTime(microsecondsSince1970: Int64(second) * 1_000_000), version: "\(second)")
            #expect(m.recordRead(renewed, now: t0 + .seconds(second), wallClock: wall) == .retryLater)
        }
    }

    @Test func expiryIgnoresTheHoldersClockAndCountsFromOurOwnFirstSighting() {
        var m = machine()
        // The holder's renewTime is an hour in our past (a skewed clock): still valid for us until we have seen it
        // unchanged for the full duration.
        let skewed = held(by: "other", renew: MicroTime(microsecondsSince1970: wall.microsecondsSince1970 - 3_600_000_000))
        #expect(m.recordRead(skewed, now: t0, wallClock: wall) == .retryLater)
        #expect(m.recordRead(skewed, now: t0 + .seconds(10), wallClock: wall) == .retryLater)
    }

    @Test func aReleasedLeaseIsTakenAtOnce() {
        var m = machine()
        let released = LeaseRecord(holderIdentity: nil, leaseDurationSeconds: 1, leaseTransitions: 4, version: "9")
        guard case .update(let record) = m.recordRead(released, now: t0, wallClock: wall) else {
            Issue.record("expected an update")
            return
        }
        #expect(record.holderIdentity == "me")
        #expect(record.leaseTransitions == 5)
        #expect(record.leaseDurationSeconds == 15)
        #expect(record.version == "9")
    }

    @Test func renewingKeepsAcquireTimeAndTransitions() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, transitions: 0, version: "1"), now: t0)
        let action = m.recordRead(held(by: "me", renew: wall, transitions: 0, version: "1"), now: t0 + .seconds(2), wallClock: wall2)
        #expect(
            action
                == .update(
                    LeaseRecord(
                        holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall2,
                        leaseTransitions: 0, version: "1")))
        #expect(m.writeSucceeded(held(by: "me", renew: wall2, transitions: 0, version: "2"), now: t0 + .seconds(2)) == .renewed)
    }

    @Test func aLeaderThatSeesAnotherHolderHasLostAtOnce() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, version: "1"), now: t0)
        let action = m.recordRead(held(by: "intruder", renew: wall2, version: "2"), now: t0 + .seconds(1), wallClock: wall2)
        #expect(action == .leadershipLost(reason: "the lease is now held by intruder"))
        #expect(m.state == .stopped)
        #expect(m.recordRead(nil, now: t0 + .seconds(2), wallClock: wall2) == .none)
    }

    @Test func failedRenewalsAreRetriedUntilTheRenewDeadlineThenLeadershipIsLost() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, version: "1"), now: t0)
        #expect(m.attemptFailed(now: t0 + .seconds(2)) == .retryLater)
        #expect(m.tick(now: t0 + .seconds(9)) == .none)
        #expect(m.attemptFailed(now: t0 + .seconds(10)) == .leadershipLost(reason: "could not renew the lease within the renew deadline (10.0 seconds)"))
        #expect(!m.isLeading)
    }

    @Test func theWatchdogTickAloneEndsLeadershipAfterTheDeadline() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, version: "1"), now: t0)
        guard case .leadershipLost = m.tick(now: t0 + .seconds(11)) else {
            Issue.record("expected leadership to be lost")
            return
        }
    }

    @Test func aLostRaceLeavesTheCandidateFollowing() {
        var m = machine()
        _ = m.recordRead(LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, version: "3"), now: t0, wallClock: wall)
        #expect(m.attemptFailed(now: t0) == .retryLater)
        #expect(m.state == .candidate)
    }

    @Test func releasingClearsTheHolderKeepsTransitionsAndStops() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, transitions: 3, version: "4"), now: t0)
        let action = m.releaseRequested(wallClock: wall2)
        #expect(
            action
                == .update(
                    LeaseRecord(
                        holderIdentity: nil, leaseDurationSeconds: 1, acquireTime: wall2, renewTime: wall2,
                        leaseTransitions: 3, version: "4")))
        #expect(m.writeSucceeded(held(by: nil, version: "5"), now: t0) == .released)
        #expect(m.state == .stopped)
    }

    @Test func aFailedReleaseIsRetriedAtTheVersionReadAgainAndNeverReportedAsReleased() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, transitions: 3, version: "4"), now: t0)
        _ = m.releaseRequested(wallClock: wall2)
        #expect(m.attemptFailed(now: t0) == .rereadForRelease)
        // A renew that was cut short landed: still ours, at version 5.
        #expect(
            m.recordRead(held(by: "me", renew: wall, transitions: 3, version: "5"), now: t0, wallClock: wall2)
                == .update(
                    LeaseRecord(
                        holderIdentity: nil, leaseDurationSeconds: 1, acquireTime: wall2, renewTime: wall2,
                        leaseTransitions: 3, version: "5")))
        #expect(m.writeSucceeded(held(by: nil, version: "6"), now: t0) == .released)
        #expect(m.state == .stopped)
    }

    @Test func aReleaseThatKeepsFailingIsAbandonedAfterTheRetries() {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, version: "4"), now: t0)
        _ = m.releaseRequested(wallClock: wall2)
        for _ in 0..<LeaderElectionStateMachine.releaseRetries {
            #expect(m.attemptFailed(now: t0) == .rereadForRelease)
        }
        #expect(m.attemptFailed(now: t0) == .releaseAbandoned)
        #expect(m.state == .stopped)
    }

    @Test(arguments: [nil, "other"] as [String?])
    func aLeaseNoLongerOursNeedsNoFurtherRelease(holder: String?) {
        var m = machine()
        _ = m.recordRead(nil, now: t0, wallClock: wall)
        _ = m.writeSucceeded(held(by: "me", renew: wall, version: "4"), now: t0)
        _ = m.releaseRequested(wallClock: wall2)
        #expect(m.attemptFailed(now: t0) == .rereadForRelease)
        #expect(m.recordRead(held(by: holder, version: "5"), now: t0, wallClock: wall2) == .released)
        #expect(m.state == .stopped)
    }

    @Test func aCandidateThatNeverLedHasNothingToRelease() {
        var m = machine()
        #expect(m.releaseRequested(wallClock: wall) == .released)
    }

    @Test(arguments: [
        (15, 10, 2, true), (3, 2, 0.5, true), (10, 10, 2, false), (10, 12, 2, false), (15, 2.4, 2, false),
        (15, 10, 0, false),
    ] as [(Double, Double, Double, Bool)])
    func timingsAreValidatedAsLeaseGreaterThanRenewGreaterThanRetryTimesOnePointTwo(
        lease: Double, renew: Double, retry: Double, valid: Bool
    ) {
        let configuration = LeaderElectionConfiguration(
            name: "x", identity: "me", leaseDuration: .seconds(lease), renewDeadline: .seconds(renew),
            retryPeriod: .seconds(retry))
        if valid {
            #expect(throws: Never.self) { try configuration.validate() }
        } else {
            #expect(throws: ControllerRuntimeError.self) { try configuration.validate() }
        }
    }

    @Test func theDefaultIdentityIsHostnameUnderscoreUUID() {
        let identity = LeaderElectionConfiguration.defaultIdentity(hostname: "pod-1")
        #expect(identity.hasPrefix("pod-1_"))
        #expect(identity.count == "pod-1_".count + 36)
        #expect(LeaderElectionConfiguration.defaultIdentity(hostname: "pod-1") != identity)
    }
}
