internal import CCurl
import Foundation
import Logging
import Synchronization

/// The front door to the multi thread: other threads enqueue commands here and wake the thread.
///
/// One dedicated thread owns the multi handle and every easy handle (`MultiLoop`); no other thread calls into
/// libcurl except `curl_multi_wakeup`, which libcurl documents as callable from any thread.
final class CurlMultiEngine: TransferControl {
    /// Work for the multi thread.
    enum Command: Sendable {
        /// Configure an easy handle for the request and add it.
        case start(TransferRequest)
        /// Remove the transfer and finish it with the error (cancellation, consumer gone).
        case abort(TransferID, HTTPTransportError)
        /// Unpause the transfer (the consumer drained the body buffer, or the upload source produced data).
        case resume(TransferID)
    }

    private struct State {
        var commands: [Command] = []
        var isShuttingDown = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let multi: MultiHandle
    private let nextID = Atomic<UInt64>(1)
    private let runningCount = Atomic<Int>(0)

    /// Creates the multi handle and starts its thread.
    ///
    /// - Throws: `HTTPTransportError.curl` when libcurl cannot be initialised, `.multi` when the multi handle
    ///   cannot be created or configured.
    init(defaults: TransferDefaults, maxConnectionsPerHost: Int?, logger: Logger) throws(HTTPTransportError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_multi_init() else {
            throw .multi(code: Int(CURLM_OUT_OF_MEMORY.rawValue), message: "curl_multi_init failed")
        }
        do throws(HTTPTransportError) {
            // HTTP/2 streams share one connection per host when the server negotiates h2 through ALPN.
            try Self.check(
                fjc_multi_setopt_long(handle, CURLMOPT_PIPELINING, defaults.preferHTTP2 ? FJC_CURLPIPE_MULTIPLEX : 0),
                step: "CURLMOPT_PIPELINING"
            )
            if let maxConnectionsPerHost {
                try Self.check(
                    fjc_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost),
                    step: "CURLMOPT_MAX_HOST_CONNECTIONS"
                )
            }
        } catch {
            curl_multi_cleanup(handle)
            throw error
        }
        multi = MultiHandle(pointer: handle)
        let thread = Thread { [self] in
            MultiLoop(engine: self, multi: multi.pointer, defaults: defaults, logger: logger).run()
        }
        thread.name = "curl-multi"
        thread.start()
    }

    deinit {
        // The loop thread holds a strong reference until it has exited and removed every easy handle, and
        // every submitter holds one too, so nobody can call into the multi handle any more.
        curl_multi_cleanup(multi.pointer)
    }

    /// A fresh transfer id.
    func makeID() -> TransferID {
        TransferID(rawValue: nextID.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    /// Enqueues a command and wakes the thread; `false` once shutdown has begun (the command is dropped).
    @discardableResult
    func submit(_ command: Command) -> Bool {
        let accepted = state.withLock { state in
            guard !state.isShuttingDown else { return false }
            state.commands.append(command)
            return true
        }
        if accepted { curl_multi_wakeup(multi.pointer) }
        return accepted
    }

    /// Starts shutting down without waiting: no new commands, running transfers end with `.shutDown`.
    func beginShutdown() {
        let first = state.withLock { state in
            defer { state.isShuttingDown = true }
            return !state.isShuttingDown
        }
        if first { curl_multi_wakeup(multi.pointer) }
    }

    /// Shuts down and waits until the thread has finished every transfer and stopped touching libcurl.
    func shutdown() async {
        beginShutdown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock { state in
                if !state.hasExited { state.exitWaiters.append(continuation) }
                return state.hasExited
            }
            if exited { continuation.resume() }
        }
    }

    /// Transfers currently added to the multi handle (for tests and diagnostics).
    var runningTransfers: Int {
        runningCount.load(ordering: .relaxed)
    }

    /// Called by the loop when a transfer was added to (`+1`) or removed from (`-1`) the multi handle.
    func noteRunningTransfers(_ delta: Int) {
        runningCount.wrappingAdd(delta, ordering: .relaxed)
    }

    // MARK: TransferControl

    /// Enqueues `.resume`; dropped after shutdown began (the transfer is ending anyway).
    func resumeTransfer(_ id: TransferID) {
        submit(.resume(id))
    }

    /// Enqueues `.abort`; dropped after shutdown began (the transfer then ends with `.shutDown`).
    func abortTransfer(_ id: TransferID, with error: HTTPTransportError) {
        submit(.abort(id, error))
    }

    // MARK: Multi thread side

    /// Takes the queued commands; `shuttingDown` tells the loop to finish everything and exit.
    func takeCommands() -> (commands: [Command], shuttingDown: Bool) {
        state.withLock { state in
            defer { state.commands.removeAll(keepingCapacity: true) }
            return (state.commands, state.isShuttingDown)
        }
    }

    /// Called by the loop as its last step.
    func loopDidExit() {
        let waiters = state.withLock { state in
            state.hasExited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private static func check(_ code: CURLMcode, step: String) throws(HTTPTransportError) {
        guard code == CURLM_OK else { throw .multi(code: code, step: step) }
    }
}

/// The multi handle pointer, shareable between threads.
///
/// `@unchecked Sendable` because a raw pointer is not Sendable; it is sound here because the handle is
/// created by `CurlMultiEngine.init`, handed to the loop thread before any transfer exists, used by that thread
/// alone, and touched by other threads only through `curl_multi_wakeup` (documented thread-safe) and by the
/// engine's `deinit` after the loop thread has exited.
struct MultiHandle: @unchecked Sendable {
    /// The `CURLM *`.
    let pointer: UnsafeMutableRawPointer
}
