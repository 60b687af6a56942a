/// An error retrying cannot fix (an invalid spec, a refused policy): logged and counted, never retried
/// (controller-runtime's `TerminalError`).
///
/// Throw it from `reconcile`; the controller records `result="terminal_error"`, forgets the key's backoff and
/// waits for the next change of the object. `errorPolicy` is not consulted.
public struct TerminalError: Error, CustomStringConvertible {
    /// The cause.
    public let underlying: any Error

    /// Wraps `underlying` as terminal.
    public init(_ underlying: any Error) {
        self.underlying = underlying
    }

    /// A terminal error with a message.
    public init(_ message: String) {
        self.underlying = Message(text: message)
    }

    public var description: String { "terminal: \(underlying)" }

    private struct Message: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}
