internal import CCurl
import Foundation
import Logging

/// The body of the multi thread: runs commands, drives libcurl and finishes transfers.
///
/// Confined to its thread (not `Sendable`): it owns the multi handle's use, every easy handle and every
/// `EasyTransfer`. Continuations are resumed from here without holding any lock.
final class MultiLoop {
    /// Longest sleep in `curl_multi_poll`; libcurl shortens it for its own timers and
    /// `curl_multi_wakeup` ends it at once.
    private static let pollTimeoutMilliseconds: Int32 = 1000
    /// Reset easy handles kept for reuse (each keeps DNS and TLS session caches warm).
    private static let poolCapacity = 64

    private let engine: CurlMultiEngine
    private let multi: UnsafeMutableRawPointer
    private let defaults: TransferDefaults
    private let logger: Logger
    private var running: [UnsafeMutableRawPointer: EasyTransfer] = [:]
    private var handles: [TransferID: UnsafeMutableRawPointer] = [:]
    private var pool: [UnsafeMutableRawPointer] = []

    /// Prepares the loop; `run()` must be called on the thread that is to own `multi`.
    init(engine: CurlMultiEngine, multi: UnsafeMutableRawPointer, defaults: TransferDefaults, logger: Logger) {
        self.engine = engine
        self.multi = multi
        self.defaults = defaults
        self.logger = logger
    }

    /// Runs until the engine shuts down; then finishes every transfer with `.shutDown`.
    func run() {
        while true {
            let (commands, shuttingDown) = engine.takeCommands()
            for command in commands { execute(command, shuttingDown: shuttingDown) }
            if shuttingDown { break }

            var stillRunning: Int32 = 0
            let performed = curl_multi_perform(multi, &stillRunning)
            if performed != CURLM_OK {
                failAll(.multi(code: performed, step: "curl_multi_perform"))
            }
            collectFinished()
            let pollTimeout = expireIdleTransfers()

            let polled = curl_multi_poll(multi, nil, 0, pollTimeout, nil)
            if polled != CURLM_OK {
                failAll(.multi(code: polled, step: "curl_multi_poll"))
                // Do not spin if polling keeps failing; commands still get through on the next round.
                usleep(10_000)
            }
        }
        failAll(.shutDown)
        for handle in pool { curl_easy_cleanup(handle) }
        pool.removeAll()
        engine.loopDidExit()
    }

    // MARK: Commands

    private func execute(_ command: CurlMultiEngine.Command, shuttingDown: Bool) {
        switch command {
        case .start(let request):
            if shuttingDown {
                request.fail(.shutDown)
            } else {
                start(request)
            }
        case .abort(let id, let error):
            if let handle = handles[id], let transfer = running[handle] {
                finish(transfer, error: error)
            }
        case .resume(let id):
            if let handle = handles[id], let transfer = running[handle] {
                transfer.willResume()
                // May call the write callback right here with the data libcurl held back while paused.
                let code = curl_easy_pause(handle, FJC_CURLPAUSE_CONT)
                if code != CURLE_OK {
                    finish(transfer, error: .transfer(code: code, detail: transfer.errorText, abortReason: nil))
                }
            }
        }
    }

    private func start(_ request: TransferRequest) {
        guard let handle = pool.popLast() ?? curl_easy_init() else {
            request.fail(.curl(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed"))
            return
        }
        let transfer = EasyTransfer(request: request, handle: handle)
        do throws(HTTPTransportError) {
            try transfer.configure(defaults: defaults)
        } catch {
            recycle(handle)
            request.fail(error)
            return
        }
        let added = curl_multi_add_handle(multi, handle)
        guard added == CURLM_OK else {
            recycle(handle)
            request.fail(.multi(code: added, step: "curl_multi_add_handle"))
            return
        }
        running[handle] = transfer
        handles[request.id] = handle
        engine.noteRunningTransfers(1)
    }

    // MARK: Idle timeout

    /// Aborts transfers that received nothing for their idle timeout; returns how long the loop may sleep
    /// before the next one could expire.
    private func expireIdleTransfers() -> Int32 {
        var sleep = Duration.milliseconds(Int(Self.pollTimeoutMilliseconds))
        guard !running.isEmpty else { return Self.pollTimeoutMilliseconds }
        let now = ContinuousClock.now
        var expired: [EasyTransfer] = []
        for transfer in running.values {
            guard let deadline = transfer.idleDeadline else { continue }
            if deadline <= now {
                expired.append(transfer)
            } else {
                sleep = min(sleep, deadline - now)
            }
        }
        for transfer in expired {
            let idle = transfer.request.idleTimeout ?? .zero
            finish(transfer, error: .timedOut("no data received for \(idle) (idle timeout)"))
        }
        return Int32(clamping: sleep.roundedUpMilliseconds)
    }

    // MARK: Completion

    private func collectFinished() {
        var handle: UnsafeMutableRawPointer?
        var result = CURLE_OK
        while fjc_multi_next_done(multi, &handle, &result) == 1 {
            guard let handle, let transfer = running[handle] else { continue }
            finish(transfer, error: transfer.outcome(result: result))
        }
    }

    /// Removes the transfer from libcurl, reports its outcome and recycles its handle.
    private func finish(_ transfer: EasyTransfer, error: HTTPTransportError?) {
        let handle = transfer.handle
        curl_multi_remove_handle(multi, handle)
        running[handle] = nil
        handles[transfer.request.id] = nil
        engine.noteRunningTransfers(-1)
        log(transfer, error: error)
        transfer.deliver(error: error)
        recycle(handle)
    }

    private func failAll(_ error: HTTPTransportError) {
        for transfer in Array(running.values) { finish(transfer, error: error) }
    }

    private func recycle(_ handle: UnsafeMutableRawPointer) {
        // Reset clears every option, including the pointers into the finished EasyTransfer.
        curl_easy_reset(handle)
        if pool.count < Self.poolCapacity {
            pool.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
    }

    private func log(_ transfer: EasyTransfer, error: HTTPTransportError?) {
        guard logger.logLevel <= .debug else { return }
        let request = transfer.request
        let elapsed = ContinuousClock.now - request.startedAt
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.url": "\(request.redactedURL)",
            "http.status": "\(transfer.responseStatus)",
            "http.duration_ms": "\(elapsed.roundedUpMilliseconds)",
            "http.response_bytes": "\(transfer.receivedBytes)",
        ]
        if let error {
            metadata["error"] = "\(error)"
            logger.debug("HTTP request failed", metadata: metadata)
        } else {
            logger.debug("HTTP request finished", metadata: metadata)
        }
    }
}
