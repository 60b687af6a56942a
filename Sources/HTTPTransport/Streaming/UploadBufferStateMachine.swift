import Foundation

/// The bounded buffer between a request body's source stream (producer task) and libcurl's read callback
/// (consumer, on the multi thread): events in, actions out, no I/O and no locking.
///
/// The producer waits while `limit` or more bytes are buffered; the read callback pauses the transfer when the
/// buffer is empty and the source has not ended, and the producer asks for a resume with its next chunk.
struct UploadBufferStateMachine<Waiter> {
    /// What appending a chunk requires.
    enum AppendAction {
        /// Buffered; when `resumeTransfer` is set the producer must ask the multi thread to unpause.
        case appended(resumeTransfer: Bool)
        /// The buffer is full: wait for space, then append again.
        case full
        /// The transfer is over: stop producing.
        case closed
    }

    /// Buffered bytes at which the producer waits.
    let limit: Int
    private var chunks: [Data] = []
    /// Bytes of `chunks[0]` already handed to libcurl.
    private var consumedOfFirst = 0
    /// Bytes buffered and not yet read.
    private(set) var bufferedBytes = 0
    private var producerWaiter: Waiter?
    private var sourceEnd: Result<Void, SourceFailure>?
    private var isClosed = false
    private var isPaused = false

    /// A failure of the source, as text.
    struct SourceFailure: Error { var message: String }

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The producer adds a chunk.
    mutating func append(_ chunk: Data) -> AppendAction {
        if isClosed { return .closed }
        guard bufferedBytes < limit else { return .full }
        chunks.append(chunk)
        bufferedBytes += chunk.count
        return .appended(resumeTransfer: takePause())
    }

    /// The producer waits for space; returns `false` (and does not keep the waiter) when it need not wait.
    mutating func waitForSpace(_ waiter: Waiter) -> Bool {
        guard !isClosed, bufferedBytes >= limit else { return false }
        producerWaiter = waiter
        return true
    }

    /// The source ended, with a failure message or normally; returns whether the transfer must be unpaused.
    mutating func finish(failure: String?) -> Bool {
        guard sourceEnd == nil, !isClosed else { return false }
        sourceEnd = failure.map { .failure(SourceFailure(message: $0)) } ?? .success(())
        return takePause()
    }

    /// The read callback asks for up to `maxBytes` bytes; also returns a producer to wake.
    ///
    /// Returns at most the rest of the oldest chunk (a slice, not a copy); libcurl asks again for more.
    mutating func read(upTo maxBytes: Int) -> (UploadReadAction, wake: Waiter?) {
        if case .failure(let failure) = sourceEnd { return (.fail(failure.message), nil) }
        guard let chunk = chunks.first, maxBytes > 0 else {
            if sourceEnd != nil { return (.end, nil) }
            isPaused = true
            return (.pause, nil)
        }
        let start = chunk.index(chunk.startIndex, offsetBy: consumedOfFirst)
        let count = min(maxBytes, chunk.count - consumedOfFirst)
        let piece = chunk[start..<(start + count)]
        consumedOfFirst += count
        if consumedOfFirst == chunk.count {
            chunks.removeFirst()
            consumedOfFirst = 0
        }
        bufferedBytes -= count
        var wake: Waiter?
        if bufferedBytes < limit {
            wake = producerWaiter
            producerWaiter = nil
        }
        return (.bytes(piece), wake)
    }

    /// The transfer ended: drop data and release a waiting producer.
    mutating func close() -> Waiter? {
        isClosed = true
        chunks.removeAll()
        bufferedBytes = 0
        let waiter = producerWaiter
        producerWaiter = nil
        return waiter
    }

    private mutating func takePause() -> Bool {
        defer { isPaused = false }
        return isPaused
    }
}

/// What the read callback tells libcurl.
enum UploadReadAction: Equatable {
    /// These bytes go out next.
    case bytes(Data)
    /// The source ended: end of the body.
    case end
    /// Nothing buffered yet: pause the transfer.
    case pause
    /// The source failed: abort the transfer.
    case fail(String)
}
