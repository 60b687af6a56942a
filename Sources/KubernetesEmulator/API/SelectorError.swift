/// A selector that could not be parsed; `message` is what follows the real server's prefix.
struct SelectorError: Error, Sendable {
    /// The message.
    var message: String
    /// Whether the message is reported as is (validation errors) rather than as a parse error.
    var raw = false

    /// The full text a kube-apiserver puts into the 400 Status.
    var text: String { raw ? message : "unable to parse requirement: \(message)" }
}
