import Foundation
import HTTPTransport
import JSONCore
import KubernetesEmulator
import Synchronization

/// Collects the events of one watch stream in the background.
final class WatchCollector: Sendable {
    private struct State {
        var events: [JSONValue] = []
        var ended = false
    }

    private let state = Mutex(State())
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let expected: Int

    init(response: HTTPStreamingResponse, expected: Int) {
        self.expected = expected
        let t = Task { [self] in
            do {
                for try await line in HTTPBodyLines(response.body) {
                    if let event = try? JSONValue(parsing: line) { state.withLock { $0.events.append(event) } }
                }
            } catch {}
            state.withLock { $0.ended = true }
        }
        task.withLock { $0 = t }
    }

    var events: [JSONValue] { state.withLock { $0.events } }
    var ended: Bool { state.withLock { $0.ended } }

    func waitForEnd(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !ended {
            if ContinuousClock.now > deadline { throw ReplayError.watchDidNotFinish(step: -1, received: events.count, expected: expected) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func waitForCount(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while events.count < expected && !ended && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    func cancel() {
        task.withLock { $0?.cancel() }
    }
}
