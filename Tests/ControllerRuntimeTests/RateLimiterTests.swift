@testable import ControllerRuntime
import Testing

@Suite struct RateLimiterTests {
    private let start = ContinuousClock.now

    @Test func backoffDoublesPerItemFromFiveMillisecondsUpToTheCap() {
        var limiter = RateLimiter<String>(
            configuration: .init(baseDelay: .milliseconds(5), maxDelay: .seconds(1), jitter: 0, ratePerSecond: 1000, burst: 1000),
            now: start)
        let delays = (0..<10).map { _ in limiter.when("a", now: start, random: 0) }
        #expect(delays.prefix(4) == [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(40)])
        #expect(delays.last == .seconds(1))
        #expect(limiter.failures(of: "a") == 10)
    }

    @Test func eachItemHasItsOwnBackoffAndForgetResetsIt() {
        var limiter = RateLimiter<String>(
            configuration: .init(baseDelay: .milliseconds(5), jitter: 0, ratePerSecond: 1000, burst: 1000), now: start)
        _ = limiter.when("a", now: start, random: 0)
        _ = limiter.when("a", now: start, random: 0)
        #expect(limiter.when("b", now: start, random: 0) == .milliseconds(5))
        #expect(limiter.when("a", now: start, random: 0) == .milliseconds(20))
        limiter.forget("a")
        #expect(limiter.failures(of: "a") == 0)
        #expect(limiter.when("a", now: start, random: 0) == .milliseconds(5))
    }

    @Test func jitterOnlyStretchesTheDelayWithinItsFraction() {
        var limiter = RateLimiter<String>(
            configuration: .init(baseDelay: .milliseconds(100), jitter: 0.1, ratePerSecond: 1000, burst: 1000), now: start)
        let delay = limiter.when("a", now: start, random: 0.999)
        #expect(delay > .milliseconds(109) && delay < .milliseconds(111))
    }

    @Test func theTokenBucketAllowsTheBurstThenHoldsTheRate() {
        var limiter = RateLimiter<Int>(
            configuration: .init(baseDelay: .milliseconds(1), jitter: 0, ratePerSecond: 10, burst: 5), now: start)
        // Five distinct keys fit the burst: only their own 1 ms backoff applies.
        for key in 0..<5 { #expect(limiter.when(key, now: start, random: 0) == .milliseconds(1)) }
        // The sixth to tenth wait for tokens at 10 per second: 0.1 s, 0.2 s, … 0.5 s.
        let waits = (5..<10).map { limiter.when($0, now: start, random: 0) }
        for (index, wait) in waits.enumerated() {
            let expected = Double(index + 1) * 0.1
            #expect(abs(wait.inSeconds - expected) < 0.001, "retry \(index + 6) waited \(wait)")
        }
        // After a second the bucket has refilled ten tokens (capped at the burst of five).
        let later = start + .seconds(10)
        #expect(limiter.when(100, now: later, random: 0) == .milliseconds(1))
    }

    @Test func theLongerOfItemBackoffAndBucketWaitWins() {
        var limiter = RateLimiter<String>(
            configuration: .init(baseDelay: .seconds(2), jitter: 0, ratePerSecond: 1, burst: 1), now: start)
        #expect(limiter.when("a", now: start, random: 0) == .seconds(2))
        // The bucket is empty (1 s to the next token) but the item's own 2 s backoff is longer.
        #expect(limiter.when("b", now: start, random: 0) == .seconds(2))
        // A third retry now waits 2 s for its token — longer than b's... and a's doubled 4 s is longer still.
        #expect(limiter.when("a", now: start, random: 0) == .seconds(4))
    }

    @Test func backoffValuesAreCappedWithoutOverflowForVeryManyFailures() {
        var backoff = Backoff(initial: .milliseconds(800), maximum: .seconds(30), jitter: 0)
        var last = Duration.zero
        for _ in 0..<500 { last = backoff.next(random: 0) }
        #expect(last == .seconds(30))
        backoff.reset()
        #expect(backoff.next(random: 0) == .milliseconds(800))
    }
}
