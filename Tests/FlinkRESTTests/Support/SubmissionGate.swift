/// Orders jar runs on one cluster: ordinary runs share the gate, a PyFlink run holds it alone.
///
/// Flink keeps the "context environment" of a running jar's `main()` in a static field that every finishing
/// run resets. A Python program reaches it from another thread (Py4J), so when another run finishes while the
/// Python interpreter still starts, the program finds no context and runs its job in a local MiniCluster inside
/// the JobManager, and the REST call fails with "No jobs included in application" (seen under load).
actor SubmissionGate {
    private static let gates = SubmissionGateRegistry()

    /// The gate of the cluster at `url`.
    static func forCluster(_ url: String) async -> SubmissionGate {
        await gates.gate(for: url)
    }

    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var queue: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// Runs `body` holding the gate, shared or alone.
    func withPermit<Value: Sendable>(exclusive: Bool, _ body: @Sendable () async throws -> Value) async throws -> Value {
        await acquire(exclusive: exclusive)
        do {
            let value = try await body()
            release(exclusive: exclusive)
            return value
        } catch {
            release(exclusive: exclusive)
            throw error
        }
    }

    private func acquire(exclusive: Bool) async {
        if queue.isEmpty && canGrant(exclusive) {
            grant(exclusive)
            return
        }
        await withCheckedContinuation { queue.append((exclusive, $0)) }
    }

    private func release(exclusive: Bool) {
        if exclusive { exclusiveHeld = false } else { sharedHolders -= 1 }
        // First come, first served: a waiting exclusive request blocks later shared ones.
        while let next = queue.first, canGrant(next.exclusive) {
            queue.removeFirst()
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

/// One `SubmissionGate` per cluster URL.
actor SubmissionGateRegistry {
    private var gates: [String: SubmissionGate] = [:]

    func gate(for url: String) -> SubmissionGate {
        if let gate = gates[url] { return gate }
        let gate = SubmissionGate()
        gates[url] = gate
        return gate
    }
}
