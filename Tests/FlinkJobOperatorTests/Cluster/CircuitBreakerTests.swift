@testable import FlinkJobOperator
import Kubernetes
import Testing

@Suite struct CircuitBreakerTests {
    private let t0 = ContinuousClock.now
    private let wall = KubeTime(secondsSince1970: 1_700_000_000)

    @Test func opensOnlyAfterTheThresholdOfConsecutiveFailures() {
        var breaker = CircuitBreaker(failureThreshold: 3, openDuration: .seconds(30))
        breaker.recordFailure("refused", now: t0, wallClock: wall)
        breaker.recordFailure("refused", now: t0, wallClock: wall)
        #expect(breaker.state == .closed)
        #expect(breaker.decide(now: t0) == .allow)
        breaker.recordFailure("refused", now: t0, wallClock: wall)
        #expect(breaker.state == .open)
        #expect(breaker.status.openedAt == wall)
        #expect(breaker.status.consecutiveFailures == 3)
        #expect(breaker.status.lastFailure == "refused")
    }

    @Test func aSuccessInBetweenResetsTheCount() {
        var breaker = CircuitBreaker(failureThreshold: 2, openDuration: .seconds(30))
        breaker.recordFailure("x", now: t0, wallClock: wall)
        breaker.recordSuccess()
        breaker.recordFailure("x", now: t0, wallClock: wall)
        #expect(breaker.state == .closed)
    }

    @Test func anOpenBreakerRejectsUntilTheOpenDurationThenAllowsOneTrial() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(30))
        breaker.recordFailure("timeout", now: t0, wallClock: wall)
        guard case .reject(let reason, let retryAt) = breaker.decide(now: t0 + .seconds(29)) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason.contains("circuit breaker open after 1 consecutive failures"))
        #expect(reason.contains("timeout"))
        #expect(retryAt == t0 + .seconds(30))
        #expect(breaker.decide(now: t0 + .seconds(30)) == .trial)
        #expect(breaker.state == .halfOpen)
    }

    @Test func aSuccessfulTrialClosesAndAFailedOneOpensAgainForAnotherPeriod() {
        var closing = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(5))
        closing.recordFailure("x", now: t0, wallClock: wall)
        _ = closing.decide(now: t0 + .seconds(5))
        closing.recordSuccess()
        #expect(closing.state == .closed)
        #expect(closing.status.openedAt == nil)

        var reopening = CircuitBreaker(failureThreshold: 3, openDuration: .seconds(5))
        for _ in 0..<3 { reopening.recordFailure("x", now: t0, wallClock: wall) }
        _ = reopening.decide(now: t0 + .seconds(6))
        // One failure in half-open is enough, whatever the threshold.
        reopening.recordFailure("still down", now: t0 + .seconds(6), wallClock: wall)
        #expect(reopening.state == .open)
        #expect(reopening.decide(now: t0 + .seconds(10)) != .trial)
        #expect(reopening.decide(now: t0 + .seconds(11)) == .trial)
    }
}

@Suite struct CircuitBreakerHalfOpenTests {
    private let t0 = ContinuousClock.now
    private let wall = KubeTime(secondsSince1970: 1_700_000_000)

    @Test func aHalfOpenBreakerLetsExactlyOneTrialThroughUntilItResolves() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(30))
        breaker.recordFailure("refused", now: t0, wallClock: wall)
        let later = t0 + .seconds(31)
        #expect(breaker.decide(now: later) == .trial)
        // Every other caller waits for the trial's outcome instead of piling onto a cluster that may be down.
        guard case .reject = breaker.decide(now: later) else {
            Issue.record("a second caller went through while the trial was in flight")
            return
        }
        breaker.recordSuccess()
        #expect(breaker.decide(now: later) == .allow)
    }

    @Test func aServerAskingForADelayKeepsTheBreakerOpenAtLeastThatLong() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(5))
        breaker.recordFailure("503", now: t0, wallClock: wall, retryAfter: .seconds(40))
        guard case .reject(_, let retryAt) = breaker.decide(now: t0 + .seconds(10)) else {
            Issue.record("Retry-After: 40 was ignored")
            return
        }
        #expect(retryAt >= t0 + .seconds(40))
    }
}
