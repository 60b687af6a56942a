import ServiceLifecycle

/// Runs services (the controllers) only while this instance leads: a `Service` to put in the `ServiceGroup`.
///
/// Graceful shutdown reaches the inner services (it is inherited by their tasks); they finish their in-flight
/// work, then the lease is released. Losing the lease cancels them at once and `run()` throws
/// `ControllerRuntimeError.leadershipLost`, which ends the `ServiceGroup` with that error (exit non-zero).
public struct LeaderElectedServices: Service {
    /// The elector.
    public let elector: LeaderElector
    private let services: [any Service]

    /// `services`, run while `elector` leads.
    public init(elector: LeaderElector, services: [any Service]) {
        self.elector = elector
        self.services = services
    }

    public func run() async throws {
        let services = self.services
        try await elector.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in services {
                    group.addTask { try await service.run() }
                }
                try await group.waitForAll()
            }
        }
    }
}
