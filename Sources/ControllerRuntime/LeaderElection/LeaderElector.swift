import Kubernetes
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Drives `LeaderElectionStateMachine` against a `LeaseLock` and runs work only while leading.
///
/// `run(whileLeading:)`:
/// 1. tries to acquire every `retryPeriod` (plus up to 20 % jitter) until it leads — or returns when graceful
///    shutdown comes first;
/// 2. runs `whileLeading` while renewing every `retryPeriod`; a watchdog checks the renew deadline independently
///    of hung requests;
/// 3. on **loss** (renewal failing past `renewDeadline`, or another holder seen) cancels `whileLeading` at once
///    and throws `ControllerRuntimeError.leadershipLost`, so the process exits non-zero;
/// 4. on **graceful shutdown** lets `whileLeading` finish (the controllers drain their in-flight reconciles),
///    then releases the lease so another instance takes over at its next retry;
/// 5. on **cancellation** stops without releasing (the lease then expires after `leaseDuration`).
///
/// The metric `leader_election_master_status{name}` is 1 while leading.
public final class LeaderElector: Sendable {
    /// The configuration (validated).
    public let configuration: LeaderElectionConfiguration
    private let lock: any LeaseLock
    private let logger: Logger
    private let machine: Mutex<LeaderElectionStateMachine>
    private let leading = Atomic<Bool>(false)
    private let masterStatus: Gauge

    /// An elector on `lock`.
    ///
    /// - Throws: `ControllerRuntimeError.invalidLeaderElectionConfiguration` when the timings are inconsistent.
    public init(
        lock: any LeaseLock, configuration: LeaderElectionConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.lock = lock
        var logger = logger
        logger[metadataKey: "leader_election.identity"] = "\(configuration.identity)"
        logger[metadataKey: "leader_election.lock"] = "\(lock.description)"
        self.logger = logger
        machine = Mutex(
            LeaderElectionStateMachine(
                identity: configuration.identity, leaseDurationSeconds: configuration.leaseDurationSeconds,
                renewDeadline: configuration.renewDeadline))
        masterStatus = Gauge(
            label: "leader_election_master_status", dimensions: [("name", configuration.name)], factory: metricsFactory)
        masterStatus.record(0)
    }

    /// Whether this instance leads right now (and may reconcile).
    public var isLeader: Bool { leading.load(ordering: .acquiring) }

    private enum LeadingOutcome: Sendable {
        case finished((any Error)?)
        case lost(String)
        case stopped
    }

    /// Acquires the lease, runs `whileLeading` while holding it, and releases it on graceful shutdown.
    ///
    /// - Throws: `ControllerRuntimeError.leadershipLost` when the lease was lost while leading; the error of
    ///   `whileLeading`; `CancellationError` when cancelled.
    public func run(whileLeading: @escaping @Sendable () async throws -> Void) async throws {
        logger.info("Waiting to acquire the leader lease")
        guard try await acquire() else {
            logger.info("Stopped before acquiring the leader lease")
            return
        }
        setLeading(true)
        logger.info("Acquired the leader lease; starting to lead")
        let outcome = await withTaskGroup(of: LeadingOutcome.self) { group in
            group.addTask {
                do {
                    try await whileLeading()
                    return .finished(nil)
                } catch {
                    return .finished(error)
                }
            }
            group.addTask { await self.renewLoop() }
            group.addTask { await self.watchdog() }
            var first: LeadingOutcome = .stopped
            if let result = await group.next() { first = result }
            if case .lost = first {
                // Stop reconciling before anything else.
                setLeading(false)
            }
            group.cancelAll()
            while await group.next() != nil {}
            return first
        }
        setLeading(false)
        switch outcome {
        case .lost(let reason):
            logger.error("Lost the leader lease; stopped reconciling", metadata: ["reason": "\(reason)"])
            throw ControllerRuntimeError.leadershipLost(identity: configuration.identity, reason: reason)
        case .finished(let error):
            if Task.isCancelled {
                throw error ?? CancellationError()
            }
            await release()
            if let error { throw error }
        case .stopped:
            try Task.checkCancellation()
        }
    }

    // MARK: Phases

    /// Tries until leading; `false` when graceful shutdown came first.
    private func acquire() async throws -> Bool {
        while true {
            try Task.checkCancellation()
            if Task.isShuttingDownGracefully { return false }
            switch await attempt() {
            case .becameLeader:
                return true
            case .retryLater, .none, .renewed, .released, .rereadForRelease, .releaseAbandoned, .leadershipLost, .create,
                .update:
                break
            }
            let jitter = Double.random(in: 0..<0.2)
            try? await cancelWhenGracefulShutdown { [configuration] in
                try await Task.sleep(for: configuration.retryPeriod * (1 + jitter))
            }
        }
    }

    /// Renews every `retryPeriod`; returns `.lost` when the machine says so, `.stopped` when cancelled.
    private func renewLoop() async -> LeadingOutcome {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.retryPeriod)
            } catch {
                return .stopped
            }
            switch await attempt() {
            case .leadershipLost(let reason):
                setLeading(false)
                return .lost(reason)
            case .renewed:
                logger.trace("Renewed the leader lease")
            default:
                break
            }
        }
        return .stopped
    }

    /// Checks the renew deadline on its own clock, so a hung renew request cannot keep a stale leader reconciling.
    private func watchdog() async -> LeadingOutcome {
        let slice = configuration.retryPeriod / 4
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: slice)
            } catch {
                return .stopped
            }
            if case .leadershipLost(let reason) = machine.withLock({ $0.tick(now: .now) }) {
                setLeading(false)
                return .lost(reason)
            }
        }
        return .stopped
    }

    /// One read-and-write cycle; requests are bounded by `renewDeadline`.
    private func attempt() async -> LeaderElectionStateMachine.Action {
        let lock = self.lock
        let record: LeaseRecord?
        do {
            record = try await withTimeout(configuration.renewDeadline) { try await lock.get() }
        } catch {
            logger.debug("Cannot read the leader lease", metadata: ["error": "\(error)"])
            return machine.withLock { $0.attemptFailed(now: .now) }
        }
        let action = machine.withLock { $0.recordRead(record, now: .now, wallClock: .now()) }
        switch action {
        case .create(let record):
            return await write { try await lock.create(record) }
        case .update(let record):
            return await write { try await lock.update(record) }
        default:
            return action
        }
    }

    private func write(_ operation: @escaping @Sendable () async throws -> LeaseRecord) async
        -> LeaderElectionStateMachine.Action
    {
        do {
            let stored = try await withTimeout(configuration.renewDeadline, operation)
            return machine.withLock { $0.writeSucceeded(stored, now: .now) }
        } catch {
            logger.debug("Cannot write the leader lease", metadata: ["error": "\(error)"])
            return machine.withLock { $0.attemptFailed(now: .now) }
        }
    }

    /// Clears the holder so another candidate takes over at its next retry.
    ///
    /// A renew cut short by the shutdown may still have reached the API server and moved the lease's version,
    /// so a failed release write reads the lease again and retries at the version it finds (a bounded number
    /// of times) rather than reporting a release that did not happen.
    private func release() async {
        var action = machine.withLock { $0.releaseRequested(wallClock: .now()) }
        guard case .update = action else { return }  // never led, or already stopped: nothing to release
        while true {
            switch action {
            case .update(let record):
                action = await write { [lock] in try await lock.update(record) }
            case .rereadForRelease:
                let lock = self.lock
                do {
                    let record = try await withTimeout(configuration.renewDeadline) { try await lock.get() }
                    action = machine.withLock { $0.recordRead(record, now: .now, wallClock: .now()) }
                } catch {
                    logger.debug("Cannot read the leader lease", metadata: ["error": "\(error)"])
                    action = machine.withLock { $0.attemptFailed(now: .now) }
                }
            case .released:
                logger.info("Released the leader lease")
                return
            case .releaseAbandoned:
                logger.warning("Could not release the leader lease; it will expire after the lease duration")
                return
            default:
                return
            }
        }
    }

    private func setLeading(_ value: Bool) {
        leading.store(value, ordering: .releasing)
        masterStatus.record(value ? 1 : 0)
    }
}
