/// Orders `POST /jars/:id/run` calls to one Flink session cluster: any number of jar programs at once, a Python
/// program alone.
///
/// Flink keeps the "context environment" of a running jar's `main()` in a static field that every finishing run
/// resets. A Python program reaches it from another thread (Py4J), so when another run finishes while the Python
/// interpreter still starts, the program finds no context, runs its job in a local MiniCluster inside the
/// JobManager, and the REST call fails with "No jobs included in application". Python runs therefore wait until
/// no other submission through the same gate is in flight, and block new ones until they are done. First come,
/// first served, so a Python run is not starved by a stream of jar runs. Submissions from other clients of the
/// cluster are beyond any gate.
public actor SubmissionGate {
    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// An open gate.
    public init() {}

    /// Runs `body` holding the gate: alone when `exclusive`, else alongside other shared holders.
    public func withPermit<Value: Sendable, Failure: Error>(
        exclusive: Bool, _ body: @Sendable () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        await acquire(exclusive: exclusive)
        defer { release(exclusive: exclusive) }
        return try await body()
    }

    /// Holders and waiters right now.
    public var snapshot: (shared: Int, exclusive: Bool, waiting: Int) { (sharedHolders, exclusiveHeld, waiting.count) }

    private func acquire(exclusive: Bool) async {
        if waiting.isEmpty && canGrant(exclusive) {
            grant(exclusive)
            return
        }
        await withCheckedContinuation { waiting.append((exclusive, $0)) }
    }

    private func release(exclusive: Bool) {
        if exclusive { exclusiveHeld = false } else { sharedHolders -= 1 }
        while let next = waiting.first, canGrant(next.exclusive) {
            waiting.removeFirst()
            grant(next.exclusive)
            next.continuation.resume()
        }
    }

    private func canGrant(_ exclusive: Bool) -> Bool {
        exclusive ? !exclusiveHeld && sharedHolders == 0 : !exclusiveHeld
    }

    private func grant(_ exclusive: Bool) {
        if exclusive { exclusiveHeld = true } else { sharedHolders += 1 }
    }
}

/// One `SubmissionGate` per cluster (by name or URL).
public actor SubmissionGates {
    /// No gates yet.
    public init() {}

    private var gates: [String: SubmissionGate] = [:]

    /// The gate of `cluster`.
    public func gate(for cluster: String) -> SubmissionGate {
        if let gate = gates[cluster] { return gate }
        let gate = SubmissionGate()
        gates[cluster] = gate
        return gate
    }
}
