internal import CCurl
import Foundation

/// One request's libcurl side: its easy handle, the C resources it owns and the callbacks' state.
///
/// Confined to the multi thread: created, configured, called back and cleaned up there only, which is why it
/// is neither `Sendable` nor locked. libcurl's callbacks receive `Unmanaged.passUnretained(self)` as user data;
/// the multi loop's table of running transfers keeps `self` alive while the handle can call back.
final class EasyTransfer {
    /// The request being run.
    let request: TransferRequest
    /// The easy handle (a `CURL *`), reused from the loop's pool.
    let handle: UnsafeMutableRawPointer

    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var mime: OpaquePointer?
    private var parser = ResponseHeadParser()
    /// Whether the stream head went out; the negotiate scheme may answer 401 first, so its head waits
    /// for the first body byte.
    private var headDelivered = false
    private let deliversHeadEarly: Bool
    private var collected = Data()
    private var bytesOffset = 0
    /// Why a callback stopped the transfer; wins over the code libcurl reports.
    private(set) var abortReason: HTTPTransportError?
    /// Body bytes received.
    private(set) var receivedBytes = 0
    /// When a byte last moved in either direction (or the transfer last left a pause we caused).
    private var lastActivity: ContinuousClock.Instant
    /// Whether we paused the transfer (slow reader, or an upload source with nothing yet); such silence is
    /// ours, not the server's, and does not count towards the idle timeout.
    private var isPausedByUs = false

    /// Wraps an easy handle for `request`; call `configure` before adding it to the multi handle.
    init(request: TransferRequest, handle: UnsafeMutableRawPointer) {
        self.request = request
        self.handle = handle
        lastActivity = request.startedAt
        errorBuffer = .allocate(capacity: Int(FJC_CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(FJC_CURL_ERROR_SIZE))
        if case .negotiate = request.authentication {
            deliversHeadEarly = false
        } else {
            deliversHeadEarly = true
        }
    }

    deinit {
        // The loop resets the handle (clearing CURLOPT_ERRORBUFFER and the callbacks) before it drops us.
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
        if let mime { curl_mime_free(mime) }
    }

    /// libcurl's explanation of the last failure, from `CURLOPT_ERRORBUFFER`.
    var errorText: String { String(cString: errorBuffer) }

    // MARK: Setup

    /// Sets every option of the request on the (freshly reset) handle.
    ///
    /// - Throws: `HTTPTransportError` naming the option libcurl refused, or `.invalidRequest`.
    func configure(defaults: TransferDefaults) throws(HTTPTransportError) {
        let owner = Unmanaged.passUnretained(self).toOpaque()
        try setPointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        try setLong(CURLOPT_NOSIGNAL, 1)
        try setString(CURLOPT_URL, request.url)
        try setString(CURLOPT_PROTOCOLS_STR, "http,https")
        try setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try setString(CURLOPT_USERAGENT, defaults.userAgent)
        try setLong(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        // Long-lived watches must notice a peer that vanished without closing the connection.
        try setLong(CURLOPT_TCP_KEEPALIVE, 1)
        try setLong(CURLOPT_TCP_KEEPIDLE, 30)
        try setLong(CURLOPT_TCP_KEEPINTVL, 15)
        if defaults.preferHTTP2 {
            try setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
            // Wait for a connection that may multiplex instead of opening a second one right away.
            try setLong(CURLOPT_PIPEWAIT, 1)
        } else {
            try setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        }
        try configureTimeouts(defaults: defaults)
        try configureTLS(defaults: defaults)
        try configureAuthentication()

        try check(
            fjc_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, user in
                guard let user else { return 0 }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(user).takeUnretainedValue()
                return transfer.didReceiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
            },
            CURLOPT_WRITEFUNCTION
        )
        try setPointer(CURLOPT_WRITEDATA, owner)
        try check(
            fjc_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, user in
                guard let user else { return 0 }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(user).takeUnretainedValue()
                return transfer.didReceiveHeader(UnsafeRawBufferPointer(start: buffer, count: size * count))
            },
            CURLOPT_HEADERFUNCTION
        )
        try setPointer(CURLOPT_HEADERDATA, owner)
        try configureMethodAndBody(owner: owner)
        try configureHeaders()
        try configureConnectionGuard(owner: owner)
    }

    /// Every connection of a guarded request is opened through `openSocket`, which asks the guard first.
    private func configureConnectionGuard(owner: UnsafeMutableRawPointer) throws(HTTPTransportError) {
        guard request.connectionGuard != nil else { return }
        try setLong(CURLOPT_FRESH_CONNECT, 1)
        try setLong(CURLOPT_FORBID_REUSE, 1)
        try check(
            fjc_easy_setopt_opensocket_callback(handle) { user, _, address in
                guard let user, let address else { return FJC_CURL_SOCKET_BAD }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(user).takeUnretainedValue()
                return transfer.openSocket(address)
            },
            CURLOPT_OPENSOCKETFUNCTION
        )
        try setPointer(CURLOPT_OPENSOCKETDATA, owner)
    }

    /// Opens a socket to `address` if the guard allows it; records the refusal otherwise.
    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        guard let guardrail = request.connectionGuard else { return fjc_open_socket(address) }
        var raw = [UInt8](repeating: 0, count: 16)
        let count = Int(raw.withUnsafeMutableBufferPointer { fjc_sockaddr_bytes(address, $0.baseAddress) })
        guard let ip = IPAddress(bytes: Array(raw.prefix(count))) else {
            abortReason = .connectionRefusedByPolicy("an address of an unsupported family")
            return FJC_CURL_SOCKET_BAD
        }
        if let refusal = guardrail.refusal(ip) {
            abortReason = .connectionRefusedByPolicy(refusal)
            return FJC_CURL_SOCKET_BAD
        }
        abortReason = nil
        return fjc_open_socket(address)
    }

    private func configureTimeouts(defaults: TransferDefaults) throws(HTTPTransportError) {
        try setLong(CURLOPT_CONNECTTIMEOUT_MS, defaults.connectTimeout.roundedUpMilliseconds)
        if let total = request.totalTimeout {
            try setLong(CURLOPT_TIMEOUT_MS, total.roundedUpMilliseconds)
        }
        // The idle timeout is the loop's own timer (see `idleDeadline`): CURLOPT_LOW_SPEED_TIME averages the
        // speed over several seconds, so a few early bytes would hide the silence that follows for seconds.
    }

    private func configureTLS(defaults: TransferDefaults) throws(HTTPTransportError) {
        switch defaults.trustRoots {
        case nil: break
        case .file(let path): try setString(CURLOPT_CAINFO, path)
        case .bytes(let pem): try setBlob(CURLOPT_CAINFO_BLOB, pem)
        }
        if let certificate = defaults.clientCertificate {
            switch certificate {
            case .file(let path): try setString(CURLOPT_SSLCERT, path)
            case .bytes(let pem): try setBlob(CURLOPT_SSLCERT_BLOB, pem)
            }
            try setString(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let key = defaults.clientKey {
            switch key {
            case .file(let path): try setString(CURLOPT_SSLKEY, path)
            case .bytes(let pem): try setBlob(CURLOPT_SSLKEY_BLOB, pem)
            }
            try setString(CURLOPT_SSLKEYTYPE, "PEM")
        }
        try setLong(CURLOPT_SSL_VERIFYPEER, defaults.verifyPeer ? 1 : 0)
        try setLong(CURLOPT_SSL_VERIFYHOST, defaults.verifyPeer ? 2 : 0)
    }

    private func configureAuthentication() throws(HTTPTransportError) {
        switch request.authentication {
        case .none:
            break
        case .basic(let username, let password):
            try setLong(CURLOPT_HTTPAUTH, FJC_CURLAUTH_BASIC)
            try setString(CURLOPT_USERNAME, username)
            try setString(CURLOPT_PASSWORD, password)
        case .negotiate:
            try setLong(CURLOPT_HTTPAUTH, FJC_CURLAUTH_NEGOTIATE)
            // An empty user makes libcurl take the identity from the GSS-API credential cache.
            try setString(CURLOPT_USERPWD, ":")
        }
    }

    private func configureMethodAndBody(owner: UnsafeMutableRawPointer) throws(HTTPTransportError) {
        let method = request.method
        let length: Int64?
        switch request.body {
        case .none:
            if method == .head {
                try setLong(CURLOPT_NOBODY, 1)
                return
            }
            guard method == .post || method == .put || method == .patch else {
                if method == .get {
                    try setLong(CURLOPT_HTTPGET, 1)
                } else {
                    try setString(CURLOPT_CUSTOMREQUEST, method.rawValue)
                }
                return
            }
            // PUT/PATCH/POST without a body still send `Content-Length: 0`; some servers insist.
            length = 0
        case .bytes(let data): length = Int64(data.count)
        case .file(_, let size): length = size
        case .stream(_, let streamLength, _): length = streamLength ?? -1
        case .multipart(let parts):
            try configureMultipart(parts)
            if method != .post { try setString(CURLOPT_CUSTOMREQUEST, method.rawValue) }
            return
        }
        guard method != .head else { throw .invalidRequest("a HEAD request cannot carry a body") }
        // A POST with a read callback, whatever the method on the wire: it sends any body for any method
        // (DELETE with DeleteOptions included); an unknown length (-1) goes out chunked on HTTP/1.1.
        try setLong(CURLOPT_POST, 1)
        try check(fjc_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(length ?? -1)), CURLOPT_POSTFIELDSIZE_LARGE)
        try check(
            fjc_easy_setopt_data_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, user in
                guard let user, let buffer else { return FJC_CURL_READFUNC_ABORT }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(user).takeUnretainedValue()
                return transfer.readBody(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
            },
            CURLOPT_READFUNCTION
        )
        try setPointer(CURLOPT_READDATA, owner)
        try check(
            fjc_easy_setopt_seek_callback(handle) { user, offset, origin in
                guard let user else { return FJC_CURL_SEEKFUNC_FAIL }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(user).takeUnretainedValue()
                return transfer.seekBody(to: offset, origin: origin)
            },
            CURLOPT_SEEKFUNCTION
        )
        try setPointer(CURLOPT_SEEKDATA, owner)
        if method != .post { try setString(CURLOPT_CUSTOMREQUEST, method.rawValue) }
    }

    private func configureMultipart(_ parts: [MultipartPart]) throws(HTTPTransportError) {
        guard let mime = curl_mime_init(handle) else {
            throw .curl(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_mime_init failed")
        }
        self.mime = mime
        for part in parts {
            guard let mimePart = curl_mime_addpart(mime) else {
                throw .curl(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_mime_addpart failed")
            }
            try checkMime(curl_mime_name(mimePart, part.name), step: "name")
            switch part.content {
            case .bytes(let data):
                let code = data.withUnsafeBytes { bytes in
                    // curl_mime_data copies the bytes; a NULL pointer with size 0 is an empty part.
                    curl_mime_data(mimePart, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
                }
                try checkMime(code, step: "data")
            case .file(let path):
                // Streamed from disk by libcurl; also sets the file name to the path's last component.
                try checkMime(curl_mime_filedata(mimePart, path), step: "file \(path)")
            }
            if let filename = part.filename { try checkMime(curl_mime_filename(mimePart, filename), step: "filename") }
            if let contentType = part.contentType { try checkMime(curl_mime_type(mimePart, contentType), step: "type") }
        }
        try check(fjc_easy_setopt_mime(handle, CURLOPT_MIMEPOST, mime), CURLOPT_MIMEPOST)
    }

    private func configureHeaders() throws(HTTPTransportError) {
        for line in request.headerLines {
            guard let extended = curl_slist_append(headerList, line) else {
                throw .curl(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            headerList = extended
        }
        if let headerList { try check(fjc_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER) }
    }

    // MARK: Callbacks (multi thread, inside curl_multi_perform / curl_easy_pause)

    private func didReceiveHeader(_ line: UnsafeRawBufferPointer) -> Int {
        noteActivity()
        guard parser.consume(line: line), let head = parser.finalHead else { return line.count }
        switch request.sink {
        case .collect(_, let limit):
            if request.method != .head, let declared = head.headers["Content-Length"].flatMap(Int.init),
                declared > limit
            {
                abortReason = .bodyTooLarge(limit: limit)
                return 0
            }
        case .stream(let headPromise, _):
            if deliversHeadEarly, !headDelivered {
                headDelivered = true
                headPromise.complete(.success(head))
            }
        }
        return line.count
    }

    private func didReceiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        noteActivity()
        guard !chunk.isEmpty else { return 0 }
        switch request.sink {
        case .collect(_, let limit):
            guard collected.count + chunk.count <= limit else {
                abortReason = .bodyTooLarge(limit: limit)
                return 0
            }
            collected.append(contentsOf: chunk)
            receivedBytes += chunk.count
            return chunk.count
        case .stream(let headPromise, let body):
            if !headDelivered {
                headDelivered = true
                headPromise.complete(.success(currentHead()))
            }
            switch body.offer(Data(chunk)) {
            case .accepted:
                receivedBytes += chunk.count
                return chunk.count
            case .pause:
                isPausedByUs = true
                return FJC_CURL_WRITEFUNC_PAUSE
            case .reject:
                abortReason = .cancelled
                return 0
            }
        }
    }

    private func readBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        noteActivity()
        switch request.body {
        case .none, .multipart:
            return 0
        case .bytes(let data):
            let count = min(buffer.count, data.count - bytesOffset)
            guard count > 0 else { return 0 }
            let start = data.index(data.startIndex, offsetBy: bytesOffset)
            data[start..<(start + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            bytesOffset += count
            return count
        case .file(let descriptor, _):
            while true {
                let count = read(descriptor.rawValue, buffer.baseAddress, buffer.count)
                if count >= 0 { return count }
                if errno == EINTR { continue }
                abortReason = .bodySourceFailed("reading the body file failed: \(String(cString: strerror(errno)))")
                return FJC_CURL_READFUNC_ABORT
            }
        case .stream(let upload, _, _):
            switch upload.read(upTo: buffer.count) {
            case .bytes(let piece):
                piece.withUnsafeBytes { buffer.copyMemory(from: $0) }
                return piece.count
            case .end: return 0
            case .pause:
                isPausedByUs = true
                return FJC_CURL_READFUNC_PAUSE
            case .fail(let message):
                abortReason = .bodySourceFailed("the body stream threw: \(message)")
                return FJC_CURL_READFUNC_ABORT
            }
        }
    }

    /// libcurl rewinds the body to resend it (a reused connection that turned out dead, an auth round).
    private func seekBody(to offset: curl_off_t, origin: Int32) -> Int32 {
        guard origin == SEEK_SET else { return FJC_CURL_SEEKFUNC_CANTSEEK }
        switch request.body {
        case .bytes(let data):
            guard offset >= 0, offset <= data.count else { return FJC_CURL_SEEKFUNC_FAIL }
            bytesOffset = Int(offset)
            return FJC_CURL_SEEKFUNC_OK
        case .file(let descriptor, _):
            return lseek(descriptor.rawValue, off_t(offset), SEEK_SET) < 0 ? FJC_CURL_SEEKFUNC_FAIL : FJC_CURL_SEEKFUNC_OK
        case .none:
            return offset == 0 ? FJC_CURL_SEEKFUNC_OK : FJC_CURL_SEEKFUNC_FAIL
        case .stream, .multipart:
            return FJC_CURL_SEEKFUNC_CANTSEEK
        }
    }

    // MARK: Idle timeout

    private func noteActivity() {
        if request.idleTimeout != nil { lastActivity = .now }
    }

    /// Called by the loop right before it unpauses the transfer: the pause was ours, so the silence restarts.
    func willResume() {
        isPausedByUs = false
        lastActivity = .now
    }

    /// When the transfer counts as idle, or `nil` when it has no idle timeout or we paused it ourselves.
    var idleDeadline: ContinuousClock.Instant? {
        guard let idle = request.idleTimeout, !isPausedByUs else { return nil }
        return lastActivity + idle
    }

    // MARK: Completion

    /// The outcome of a finished transfer: `result` is libcurl's code (or `nil` when we stopped it ourselves
    /// with `abortError`).
    func outcome(result: CURLcode) -> HTTPTransportError? {
        guard result != CURLE_OK else { return nil }
        return .transfer(code: result, detail: errorText, abortReason: abortReason)
    }

    /// The status code libcurl saw last, for logging.
    var responseStatus: Int {
        if let head = parser.finalHead { return head.status }
        var code = 0
        _ = fjc_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// Hands the outcome to whoever waits: the collected response, or the stream's head and end.
    func deliver(error: HTTPTransportError?) {
        switch request.sink {
        case .collect(let promise, _):
            if let error {
                promise.complete(.failure(error))
            } else {
                let head = currentHead()
                promise.complete(.success(HTTPResponse(status: head.status, headers: head.headers, body: collected)))
            }
        case .stream(let headPromise, let body):
            if let error {
                headPromise.complete(.failure(error))
            } else {
                headPromise.complete(.success(currentHead()))
            }
            body.finish(error: error)
        }
        request.releaseBody()
    }

    private func currentHead() -> ResponseHead {
        parser.finalHead ?? ResponseHead(status: responseStatus, headers: HTTPHeaders())
    }

    // MARK: setopt helpers

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPTransportError) {
        guard code == CURLE_OK else { throw .setup(code: code, option: Self.name(of: option)) }
    }

    private func checkMime(_ code: CURLcode, step: String) throws(HTTPTransportError) {
        guard code == CURLE_OK else {
            if code == CURLE_READ_ERROR { throw .bodySourceFailed("multipart \(step): \(CurlText.easyError(code))") }
            throw .curl(code: Int(code.rawValue), message: "multipart \(step): \(CurlText.easyError(code))")
        }
    }

    private func setLong(_ option: CURLoption, _ value: Int) throws(HTTPTransportError) {
        try check(fjc_easy_setopt_long(handle, option, value), option)
    }

    private func setString(_ option: CURLoption, _ value: String) throws(HTTPTransportError) {
        // libcurl copies string arguments, so the temporary C string may go away after the call.
        try check(fjc_easy_setopt_string(handle, option, value), option)
    }

    private func setPointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer) throws(HTTPTransportError) {
        try check(fjc_easy_setopt_pointer(handle, option, value), option)
    }

    private func setBlob(_ option: CURLoption, _ bytes: [UInt8]) throws(HTTPTransportError) {
        // CURL_BLOB_COPY in the shim: libcurl keeps its own copy.
        let code = bytes.withUnsafeBytes { fjc_easy_setopt_blob(handle, option, $0.baseAddress, $0.count) }
        try check(code, option)
    }

    private static func name(of option: CURLoption) -> String {
        guard let info = curl_easy_option_by_id(option), let name = info.pointee.name else {
            return "option \(option.rawValue)"
        }
        return "CURLOPT_" + String(cString: name)
    }
}
