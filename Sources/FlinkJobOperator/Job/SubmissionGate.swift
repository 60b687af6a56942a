/// Orders `POST /jars/:id/run` calls to one Flink session cluster: any number of jar programs at once, a Python
/// program alone.
///
/// Flink's `PythonDriver` runs the user's Python process inside the JobManager, and the job it builds reaches
/// the JobManager's submission machinery while other `jars/run` calls are being executed there; with concurrent
/// submissions the Python job was seen to go missing ("No jobs included in application"). Python runs therefore
/// wait until no other submission of this operator to the same cluster is in flight, and block new ones until
/// they are done. First come, first served, so a Python run is not starved by a stream of jar runs.
actor SubmissionGate {
    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// Runs `body` holding the gate: alone when `exclusive`, else alongside other shared holders.
    func withPermit<Value: Sendable, Failure: Error>(
        exclusive: Bool, _ body: @Sendable () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        await acquire(exclusive: exclusive)
        defer { release(exclusive: exclusive) }
        return try await body()
    }

    /// Holders and waiters right now (for tests).
    var snapshot: (shared: Int, exclusive: Bool, waiting: Int) { (sharedHolders, exclusiveHeld, waiting.count) }

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

/// One `SubmissionGate` per cluster name.
actor SubmissionGates {
    private var gates: [String: SubmissionGate] = [:]

    /// The gate of `cluster`.
    func gate(for cluster: String) -> SubmissionGate {
        if let gate = gates[cluster] { return gate }
        let gate = SubmissionGate()
        gates[cluster] = gate
        return gate
    }
}
