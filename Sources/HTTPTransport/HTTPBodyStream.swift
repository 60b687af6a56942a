import Foundation

/// A response body arriving chunk by chunk, with back-pressure.
///
/// For a `CurlHTTPClient` stream the chunks come from a bounded buffer: while it is full the transfer pauses,
/// and it resumes as the reader drains it, so a slow reader holds at most about
/// `Configuration.streamBufferBytes` in memory whatever the body's size.
///
/// Read it once: ending the iteration early (`break`, a thrown error), dropping the iterator or the last copy
/// of the stream before the end, or cancelling the reading task aborts the transfer; `next()` then throws
/// `HTTPTransportError.cancelled`. A second iterator continues where the first stopped only while the
/// first is still alive.
public struct HTTPBodyStream: AsyncSequence, Sendable {
    /// A chunk (or a line) of the body.
    public typealias Element = Data
    /// Transfer failures are `HTTPTransportError`s.
    public typealias Failure = any Error

    fileprivate enum Source: Sendable {
        case transfer(BodyBufferLifetime)
        case chunks(AsyncThrowingStream<Data, any Error>)
    }

    private let source: Source

    /// A body fed by a transfer's buffer.
    init(buffer: BodyBuffer) {
        source = .transfer(BodyBufferLifetime(buffer))
    }

    /// A body made of the given chunks, for other `HTTPClient` implementations and in-memory responses.
    public init(_ chunks: AsyncThrowingStream<Data, any Error>) {
        source = .chunks(chunks)
    }

    /// A body consisting of the given bytes.
    public init(bytes: Data) {
        self.init(AsyncThrowingStream { continuation in
            if !bytes.isEmpty { continuation.yield(bytes) }
            continuation.finish()
        })
    }

    /// Iterates the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// A chunk (or a line) of the body.
        public typealias Element = Data
        /// Transfer failures are `HTTPTransportError`s.
        public typealias Failure = any Error

        private enum Base {
            case transfer(BodyBufferLifetime)
            case chunks(AsyncThrowingStream<Data, any Error>.Iterator)
        }

        private var base: Base

        fileprivate init(_ source: Source) {
            switch source {
            case .transfer(let stream):
                // A lifetime of its own: dropping the iterator ends the transfer even while the stream lives.
                base = .transfer(BodyBufferLifetime(stream.buffer))
            case .chunks(let chunks):
                base = .chunks(chunks.makeAsyncIterator())
            }
        }

        /// The next chunk (never empty), or `nil` at the end of the body.
        ///
        /// - Throws: the transfer's `HTTPTransportError`, or `.cancelled` when the task was cancelled.
        public mutating func next() async throws -> Data? {
            switch base {
            case .transfer(let lifetime):
                return try await lifetime.buffer.next()
            case .chunks(var iterator):
                defer { base = .chunks(iterator) }
                while let chunk = try await iterator.next() {
                    if !chunk.isEmpty { return chunk }
                }
                return nil
            }
        }
    }

    /// Starts reading; see the type's documentation for what ending early does.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source)
    }

    /// Reads the whole body into memory.
    ///
    /// - Throws: `HTTPTransportError.bodyTooLarge(limit: maxBytes)` as soon as more than `maxBytes` arrived
    ///   (the transfer is aborted), or the transfer's error.
    public func collect(upTo maxBytes: Int) async throws -> Data {
        var result = Data()
        var iterator = makeAsyncIterator()
        while let chunk = try await iterator.next() {
            guard result.count + chunk.count <= maxBytes else { throw HTTPTransportError.bodyTooLarge(limit: maxBytes) }
            result.append(chunk)
        }
        return result
    }

    /// The body split at line feeds (newline-delimited JSON, such as a Kubernetes watch), lines up to 16 MiB.
    public var lines: HTTPBodyLines {
        HTTPBodyLines(self)
    }

    /// The body split at line feeds, failing with `HTTPTransportError.lineTooLong` beyond `maxLineBytes`.
    public func lines(maxLineBytes: Int) -> HTTPBodyLines {
        HTTPBodyLines(self, maxLineBytes: maxLineBytes)
    }

    /// The transfer buffer's counters; `nil` for a body not fed by a transfer.
    package var bufferStatistics: BodyBufferStatistics? {
        if case .transfer(let lifetime) = source { return lifetime.buffer.statistics }
        return nil
    }
}

/// Aborts the transfer when the last reference to a body stream or iterator goes away before the end.
final class BodyBufferLifetime: Sendable {
    /// The transfer's buffer.
    let buffer: BodyBuffer

    /// Takes part in keeping `buffer`'s transfer alive.
    init(_ buffer: BodyBuffer) {
        self.buffer = buffer
    }

    deinit {
        // A no-op when the body was read to its end.
        buffer.cancel(.cancelled)
    }
}
