import Foundation

/// The bounded buffer between libcurl's write callback (producer, on the multi thread) and the task reading
/// a response body (consumer): events in, actions out, no I/O and no locking.
///
/// Back-pressure contract: a chunk is refused (the transfer pauses) when accepting it would push the buffered
/// bytes above `limit`, unless the buffer is empty (a single chunk larger than the limit still makes
/// progress). The consumer asks for the transfer to resume once it has drained the buffer to
/// `resumeThreshold` or below. So the buffered bytes never exceed `max(limit, largest chunk)`.
struct BodyBufferStateMachine<Waiter> {
    /// What the producer does with a chunk it offered.
    enum OfferAction {
        /// Hand the chunk straight to this waiting consumer (the buffer was empty).
        case deliver(Waiter)
        /// The chunk was buffered.
        case buffered
        /// The buffer is full: pause the transfer; libcurl keeps the chunk and offers it again on resume.
        case pause
        /// Nobody will read it any more: stop the transfer.
        case reject
    }

    /// What a consumer's request for the next chunk yields.
    enum NextAction {
        /// A chunk; when `resumeTransfer` is set the consumer must ask the multi thread to unpause.
        case chunk(Data, resumeTransfer: Bool)
        /// The body ended normally.
        case end
        /// The body ended with an error.
        case fail(HTTPTransportError)
        /// Nothing yet: wait (the waiter was stored when one was given).
        case wait
    }

    /// What finishing or cancelling requires from the caller, after releasing the lock.
    struct EndAction {
        /// A waiting consumer to resume.
        var waiter: Waiter?
        /// The result to resume it with: `nil` means end of body.
        var error: HTTPTransportError?
        /// Whether the transfer is still running and must be aborted.
        var abortTransfer: Bool
    }

    /// Buffered bytes above which chunks are refused.
    let limit: Int
    /// Buffered bytes at or below which a paused transfer is resumed.
    let resumeThreshold: Int

    private var chunks: [Data] = []
    private var firstChunk = 0
    /// Bytes currently buffered.
    private(set) var bufferedBytes = 0
    /// The most bytes ever buffered at once.
    private(set) var highWaterBytes = 0
    /// How many times the producer was told to pause.
    private(set) var pauseCount = 0
    private var isPaused = false
    private var waiter: Waiter?
    /// How the producer ended: `nil` while running, `.success` at the body's end.
    private var producerEnd: Result<Void, HTTPTransportError>?
    /// Set when the consumer went away or was cancelled; wins over any data still buffered.
    private var consumerFailure: HTTPTransportError?

    init(limit: Int) {
        self.limit = max(1, limit)
        resumeThreshold = self.limit / 2
    }

    /// Whether the producer has ended (successfully or not) or the consumer gave up.
    var isTerminal: Bool { producerEnd != nil || consumerFailure != nil }

    /// The producer offers one chunk.
    mutating func offer(_ chunk: Data) -> OfferAction {
        guard producerEnd == nil, consumerFailure == nil else { return .reject }
        if let waiter {
            // A waiter only exists while the buffer is empty.
            self.waiter = nil
            return .deliver(waiter)
        }
        if bufferedBytes > 0, bufferedBytes + chunk.count > limit {
            if !isPaused { pauseCount += 1 }
            isPaused = true
            return .pause
        }
        chunks.append(chunk)
        bufferedBytes += chunk.count
        highWaterBytes = max(highWaterBytes, bufferedBytes)
        return .buffered
    }

    /// The consumer asks for the next chunk; when it must wait and gives a waiter, the waiter is stored.
    mutating func next(waiter newWaiter: Waiter? = nil) -> NextAction {
        if let consumerFailure { return .fail(consumerFailure) }
        if firstChunk < chunks.count {
            let chunk = chunks[firstChunk]
            firstChunk += 1
            if firstChunk == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                firstChunk = 0
            } else if firstChunk >= 64 {
                chunks.removeFirst(firstChunk)
                firstChunk = 0
            }
            bufferedBytes -= chunk.count
            var resume = false
            if isPaused, bufferedBytes <= resumeThreshold {
                isPaused = false
                resume = true
            }
            return .chunk(chunk, resumeTransfer: resume)
        }
        switch producerEnd {
        case .success: return .end
        case .failure(let error): return .fail(error)
        case nil:
            if let newWaiter { waiter = newWaiter }
            return .wait
        }
    }

    /// The producer ended: `error == nil` is the normal end of the body. Buffered chunks stay readable.
    mutating func finish(error: HTTPTransportError?) -> EndAction {
        guard producerEnd == nil else { return EndAction(waiter: nil, error: nil, abortTransfer: false) }
        producerEnd = error.map { .failure($0) } ?? .success(())
        let waiter = self.waiter
        self.waiter = nil
        return EndAction(waiter: waiter, error: error, abortTransfer: false)
    }

    /// The consumer gave up (iterator dropped, task cancelled): buffered chunks are dropped.
    mutating func cancel(_ error: HTTPTransportError) -> EndAction {
        let fullyRead = producerEnd != nil && firstChunk >= chunks.count
        guard consumerFailure == nil, !fullyRead else {
            return EndAction(waiter: nil, error: nil, abortTransfer: false)
        }
        consumerFailure = error
        chunks.removeAll()
        firstChunk = 0
        bufferedBytes = 0
        let waiter = self.waiter
        self.waiter = nil
        return EndAction(waiter: waiter, error: error, abortTransfer: producerEnd == nil)
    }
}
