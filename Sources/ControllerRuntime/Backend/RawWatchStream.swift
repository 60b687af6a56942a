import Kubernetes

/// The events of one watch, type-erased so that any backend can produce them.
///
/// Single pass. It ends (`nil`) when the backend ends the stream; it throws `KubernetesError.gone` when the
/// start version is too old and any other error when the stream breaks. Errors reported in-band
/// (`WatchEvent.error`) may be thrown or yielded; the reflector treats both alike.
public struct RawWatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<RawObject>
    public typealias Failure = any Error

    private let makeIterator: @Sendable () -> AsyncIterator

    /// Wraps any sequence of watch events.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == WatchEvent<RawObject> {
        makeIterator = { AsyncIterator(base.makeAsyncIterator()) }
    }

    public func makeAsyncIterator() -> AsyncIterator { makeIterator() }

    /// Reads the wrapped sequence.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let box: any IteratorBox

        init<Base: AsyncIteratorProtocol>(_ base: Base) where Base.Element == WatchEvent<RawObject> {
            box = ConcreteIteratorBox(base: base)
        }

        /// The next event, `nil` at the end of the stream.
        public mutating func next() async throws -> WatchEvent<RawObject>? {
            try await box.next()
        }
    }
}

/// Holds a mutable iterator behind a reference so the erased iterator stays a plain struct.
private protocol IteratorBox: AnyObject {
    func next() async throws -> WatchEvent<RawObject>?
}

private final class ConcreteIteratorBox<Base: AsyncIteratorProtocol>: IteratorBox
where Base.Element == WatchEvent<RawObject> {
    var base: Base

    init(base: Base) {
        self.base = base
    }

    func next() async throws -> WatchEvent<RawObject>? {
        try await base.next()
    }
}
