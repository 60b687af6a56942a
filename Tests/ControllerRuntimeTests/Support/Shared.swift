import Synchronization

/// A value shared between test tasks (a lock around it), capturable by escaping closures.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    /// The current value.
    var value: Value { storage.withLock { $0 } }

    /// Mutates the value under the lock.
    @discardableResult
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R {
        storage.withLock { body(&$0) }
    }
}

extension Shared where Value == Int {
    /// Adds one and returns the new value.
    @discardableResult
    func increment() -> Int { withLock { $0 += 1; return $0 } }
}
