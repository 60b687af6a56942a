import Kubernetes

/// Why a controller-runtime operation failed; each case names the step that failed and carries its cause.
///
/// Errors thrown by a reconciler's own code (inside `apply`/`cleanup` of `Finalizer.run`, for example) are passed
/// through unchanged so that `errorPolicy` and `TerminalError` see them as thrown.
public enum ControllerRuntimeError: Error, CustomStringConvertible {
    /// Adding the finalizer to the object failed (a failed `test` guard — someone changed the list — included).
    case addFinalizer(key: ObjectKey, finalizer: String, underlying: any Error)
    /// Removing the finalizer from the object failed.
    case removeFinalizer(key: ObjectKey, finalizer: String, underlying: any Error)
    /// The object has no name, so no request about it can be made.
    case unnamedObject(kind: String)
    /// The status (old or new) could not be encoded or decoded as JSON.
    case statusEncoding(key: ObjectKey, underlying: any Error)
    /// Writing the status kept conflicting (409) with other writers after `attempts` tries.
    case statusConflict(key: ObjectKey, attempts: Int)
    /// Writing (or re-reading for a retry) the status failed.
    case statusWrite(key: ObjectKey, underlying: any Error)
    /// The leader election settings break `leaseDuration > renewDeadline > 1.2 × retryPeriod` or are not positive.
    case invalidLeaderElectionConfiguration(String)
    /// This process was leader and lost the lease (renewal failed past the deadline, or another holder took it);
    /// reconciling stopped at once and the process should exit non-zero.
    case leadershipLost(identity: String, reason: String)

    public var description: String {
        switch self {
        case .addFinalizer(let key, let finalizer, let underlying):
            "cannot add finalizer \(finalizer) to \(key): \(underlying)"
        case .removeFinalizer(let key, let finalizer, let underlying):
            "cannot remove finalizer \(finalizer) from \(key): \(underlying)"
        case .unnamedObject(let kind):
            "the \(kind) has no metadata.name"
        case .statusEncoding(let key, let underlying):
            "cannot encode the status of \(key): \(underlying)"
        case .statusConflict(let key, let attempts):
            "the status of \(key) kept conflicting with other writers (\(attempts) attempts)"
        case .statusWrite(let key, let underlying):
            "cannot write the status of \(key): \(underlying)"
        case .invalidLeaderElectionConfiguration(let why):
            "invalid leader election configuration: \(why)"
        case .leadershipLost(let identity, let reason):
            "\(identity) lost the leader lease: \(reason)"
        }
    }
}
