internal import CCurl

extension HTTPTransportError {
    /// Maps a failed transfer's `CURLcode` to the step that failed.
    ///
    /// - Parameters:
    ///   - code: the transfer's result (not `CURLE_OK`).
    ///   - detail: the `CURLOPT_ERRORBUFFER` text; empty falls back to `curl_easy_strerror`.
    ///   - abortReason: why one of our callbacks stopped the transfer, which wins over the code libcurl
    ///     reports for it (`CURLE_WRITE_ERROR`, `CURLE_ABORTED_BY_CALLBACK`, `CURLE_READ_ERROR`).
    static func transfer(code: CURLcode, detail: String, abortReason: HTTPTransportError?) -> HTTPTransportError {
        if let abortReason { return abortReason }
        let text = detail.isEmpty ? CurlText.easyError(code) : detail
        let number = Int(code.rawValue)
        let cited = "\(text) (curl error \(number))"
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidRequest(cited)
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            return .connectFailed(cited)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(cited)
        case CURLE_PEER_FAILED_VERIFICATION:
            return .tlsFailed("TLS: server certificate not trusted or does not match the host (\(cited))")
        case CURLE_SSL_CACERT_BADFILE:
            return .tlsFailed("TLS: cannot load the trusted CA certificates (\(cited))")
        case CURLE_SSL_CERTPROBLEM:
            return .tlsFailed("TLS: cannot use the client certificate or key (\(cited))")
        case CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS:
            return .tlsFailed("TLS: server certificate rejected (\(cited))")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            return .tlsFailed("TLS: handshake failed (\(cited))")
        case CURLE_RECV_ERROR where Self.isTLSAlert(text), CURLE_SEND_ERROR where Self.isTLSAlert(text):
            // With TLS 1.3 the server checks the client certificate after the client considers the
            // handshake done, so a refused or missing client certificate shows up as a read error.
            return .tlsFailed("TLS: the server rejected the connection (\(cited))")
        case CURLE_READ_ERROR:
            return .bodySourceFailed(cited)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        default:
            return .curl(code: number, message: text)
        }
    }

    /// Maps a failed multi-interface call.
    static func multi(code: CURLMcode, step: String) -> HTTPTransportError {
        .multi(code: Int(code.rawValue), message: "\(step): \(CurlText.multiError(code))")
    }

    /// Maps a failed `curl_easy_setopt` while preparing a transfer.
    static func setup(code: CURLcode, option: String) -> HTTPTransportError {
        .curl(code: Int(code.rawValue), message: "setting \(option) failed: \(CurlText.easyError(code))")
    }

    private static func isTLSAlert(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.contains("ssl") && (lowered.contains("alert") || lowered.contains("certificate"))
    }
}

/// libcurl's static explanations of its result codes.
enum CurlText {
    /// `curl_easy_strerror`, which returns a static string (never freed).
    static func easyError(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "unknown libcurl error" }
        return String(cString: text)
    }

    /// `curl_multi_strerror`, which returns a static string (never freed).
    static func multiError(_ code: CURLMcode) -> String {
        guard let text = curl_multi_strerror(code) else { return "unknown libcurl multi error" }
        return String(cString: text)
    }
}
