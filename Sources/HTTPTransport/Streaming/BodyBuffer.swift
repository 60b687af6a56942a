import Foundation
import Synchronization

/// Lets consumers of a transfer steer it from any thread; implemented by the multi-thread engine.
protocol TransferControl: Sendable {
    /// Asks the multi thread to unpause the transfer (both directions).
    func resumeTransfer(_ id: TransferID)
    /// Asks the multi thread to stop the transfer and finish it with `error`.
    func abortTransfer(_ id: TransferID, with error: HTTPTransportError)
}

/// Numbers about one response body's buffer, for tests and diagnostics.
package struct BodyBufferStatistics: Sendable, Equatable {
    /// The bound on buffered bytes (chunks beyond it pause the transfer).
    package var limitBytes: Int
    /// The most bytes that were ever buffered at once.
    package var highWaterBytes: Int
    /// How many times the transfer was paused because the consumer was slow.
    package var pauseCount: Int
}

/// A streaming response body's buffer: libcurl's write callback pushes, the reading task pulls.
///
/// Thread-safety: all state sits in a `Mutex`; continuations are resumed after the lock is released.
final class BodyBuffer: Sendable {
    private typealias Waiter = CheckedContinuation<Data?, any Error>

    /// The transfer this body belongs to.
    let id: TransferID
    private let control: any TransferControl
    private let machine: Mutex<BodyBufferStateMachine<Waiter>>

    init(id: TransferID, limit: Int, control: any TransferControl) {
        self.id = id
        self.control = control
        machine = Mutex(BodyBufferStateMachine(limit: limit))
    }

    /// Current counters.
    var statistics: BodyBufferStatistics {
        machine.withLock {
            BodyBufferStatistics(limitBytes: $0.limit, highWaterBytes: $0.highWaterBytes, pauseCount: $0.pauseCount)
        }
    }

    // MARK: Producer (multi thread)

    /// Offers a chunk from the write callback; see `BodyBufferStateMachine.offer`.
    func offer(_ chunk: Data) -> BodyOfferOutcome {
        let action = machine.withLock { $0.offer(chunk) }
        switch action {
        case .deliver(let waiter):
            waiter.resume(returning: chunk)
            return .accepted
        case .buffered: return .accepted
        case .pause: return .pause
        case .reject: return .reject
        }
    }

    /// Ends the body: `nil` is the normal end.
    func finish(error: HTTPTransportError?) {
        let action = machine.withLock { $0.finish(error: error) }
        resume(action)
    }

    // MARK: Consumer (any task)

    /// The next chunk, `nil` at the end of the body; throws the transfer's error or `.cancelled`.
    func next() async throws -> Data? {
        if Task.isCancelled {
            cancel(.cancelled)
            throw HTTPTransportError.cancelled
        }
        // Fast path: data is buffered, no continuation needed.
        switch machine.withLock({ $0.next() }) {
        case .chunk(let chunk, let resume):
            if resume { control.resumeTransfer(id) }
            return chunk
        case .end: return nil
        case .fail(let error): throw error
        case .wait: break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let action = machine.withLock { $0.next(waiter: continuation) }
                switch action {
                case .chunk(let chunk, let resume):
                    if resume { control.resumeTransfer(id) }
                    continuation.resume(returning: chunk)
                case .end: continuation.resume(returning: nil)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            cancel(.cancelled)
        }
    }

    /// The consumer gives up: drops buffered data, fails a waiting `next()` and aborts a running transfer.
    func cancel(_ error: HTTPTransportError) {
        let action = machine.withLock { $0.cancel(error) }
        resume(action)
        if action.abortTransfer { control.abortTransfer(id, with: error) }
    }

    private func resume(_ action: BodyBufferStateMachine<Waiter>.EndAction) {
        guard let waiter = action.waiter else { return }
        if let error = action.error {
            waiter.resume(throwing: error)
        } else {
            waiter.resume(returning: nil)
        }
    }
}

/// What the write callback tells libcurl about a chunk.
enum BodyOfferOutcome {
    /// Taken; the callback reports the chunk consumed.
    case accepted
    /// The buffer is full; the callback returns `CURL_WRITEFUNC_PAUSE`.
    case pause
    /// Nobody reads any more; the callback fails the transfer.
    case reject
}
