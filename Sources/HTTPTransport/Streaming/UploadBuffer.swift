import Foundation
import Synchronization

/// A request body fed from an `AsyncThrowingStream` by a producer task and drained by libcurl's read callback.
///
/// Thread-safety: all state sits in a `Mutex`; continuations are resumed after the lock is released.
final class UploadBuffer: Sendable {
    private typealias Waiter = CheckedContinuation<Void, Never>

    /// The transfer this body belongs to.
    let id: TransferID
    private let control: any TransferControl
    private let machine: Mutex<UploadBufferStateMachine<Waiter>>

    init(id: TransferID, limit: Int, control: any TransferControl) {
        self.id = id
        self.control = control
        machine = Mutex(UploadBufferStateMachine(limit: limit))
    }

    /// Starts the task that copies `source` into the buffer.
    ///
    /// The task ends when the source ends or throws, or when the transfer closes the buffer; it is cancelled
    /// by the transfer's cleanup so a source that never yields again does not keep it alive.
    func startProducer(_ source: AsyncThrowingStream<Data, any Error>) -> Task<Void, Never> {
        // Unstructured on purpose: the body is read while the caller awaits the response (and, for streams,
        // after `stream()` returned), so no scope of the caller covers the whole upload.
        Task { [self] in
            do {
                for try await chunk in source where !chunk.isEmpty {
                    guard await append(chunk) else { return }
                }
                finish(failure: nil)
            } catch {
                finish(failure: String(describing: error))
            }
        }
    }

    /// Appends a chunk, waiting while the buffer is full; `false` once the transfer is over.
    private func append(_ chunk: Data) async -> Bool {
        while true {
            switch machine.withLock({ $0.append(chunk) }) {
            case .appended(let resume):
                if resume { control.resumeTransfer(id) }
                return true
            case .closed:
                return false
            case .full:
                await withCheckedContinuation { (continuation: Waiter) in
                    let waits = machine.withLock { $0.waitForSpace(continuation) }
                    if !waits { continuation.resume() }
                }
            }
        }
    }

    private func finish(failure: String?) {
        if machine.withLock({ $0.finish(failure: failure) }) { control.resumeTransfer(id) }
    }

    /// Called by the read callback on the multi thread.
    func read(upTo maxBytes: Int) -> UploadReadAction {
        let (action, wake) = machine.withLock { $0.read(upTo: maxBytes) }
        wake?.resume()
        return action
    }

    /// Called when the transfer ended: releases a producer waiting for space.
    func close() {
        machine.withLock { $0.close() }?.resume()
    }
}
