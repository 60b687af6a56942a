internal import CCurl

/// Process-wide libcurl initialisation.
enum CurlGlobal {
    /// The result of `curl_global_init`, run exactly once: Swift initialises a static `let` lazily under
    /// `swift_once`, so concurrent first uses wait for the one call instead of racing (libcurl requires
    /// `curl_global_init` to run once, before any other libcurl call, and not concurrently with itself).
    private static let initializationResult: UInt32 = curl_global_init(FJC_CURL_GLOBAL_ALL).rawValue

    /// Makes sure libcurl is initialised.
    ///
    /// - Throws: `HTTPTransportError.curl` when `curl_global_init` failed (it then fails for every client).
    static func ensureInitialized() throws(HTTPTransportError) {
        let code = initializationResult
        guard code == CURLE_OK.rawValue else {
            throw .curl(code: Int(code), message: "curl_global_init failed: \(CurlText.easyError(CURLcode(rawValue: code)))")
        }
    }
}
