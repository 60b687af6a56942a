/// Checks a request before it reaches libcurl and turns its headers into libcurl's header lines.
///
/// Pure functions, so bad input becomes `HTTPTransportError.invalidRequest` on the caller's task instead of a
/// malformed request on the wire (a line break in a header value would inject headers).
enum RequestValidation {
    /// Returns the URL if it is an absolute `http`/`https` URL without whitespace or control characters.
    static func validatedURL(_ url: String) throws(HTTPTransportError) -> String {
        let lowered = url.lowercased()
        let schemeLength: Int
        if lowered.hasPrefix("https://") {
            schemeLength = 8
        } else if lowered.hasPrefix("http://") {
            schemeLength = 7
        } else {
            throw .invalidRequest("the URL must be absolute and start with http:// or https://: \(redacted(url))")
        }
        if url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw .invalidRequest("the URL contains whitespace or control characters: \(redacted(url))")
        }
        let rest = url.dropFirst(schemeLength)
        guard let first = rest.first, first != "/", first != "?", first != "#" else {
            throw .invalidRequest("the URL has no host: \(redacted(url))")
        }
        return url
    }

    /// The URL without user info, query and fragment: safe to log and to put into error messages.
    static func redacted(_ url: String) -> String {
        var result = Substring(url)
        if let cut = result.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            result = result[..<cut]
        }
        if let schemeEnd = result.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let authorityEnd = result[authorityStart...].firstIndex(of: "/") ?? result.endIndex
            if let at = result[authorityStart..<authorityEnd].lastIndex(of: "@") {
                result = result[..<authorityStart] + result[result.index(after: at)...]
            }
        }
        return String(result)
    }

    /// The header lines for libcurl (`Name: value`).
    ///
    /// - Parameters:
    ///   - headers: the request's own headers.
    ///   - authorization: a header produced by the request's authentication (bearer token, API key).
    ///   - replacesAuthorization: when authentication is configured, a caller-set `Authorization` is dropped.
    ///   - body: decides the extra lines: `Expect:` (no `100-continue` round trip, which costs up to a second
    ///     against servers that ignore it) and an empty `Content-Type:` so libcurl does not label a body
    ///     `application/x-www-form-urlencoded` when the caller gave no type.
    static func headerLines(
        _ headers: HTTPHeaders,
        authorization: (name: String, value: String)?,
        replacesAuthorization: Bool,
        body: HTTPRequestBody
    ) throws(HTTPTransportError) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(headers.fields.count + 3)
        var hasContentType = false
        for field in headers.fields {
            let lowered = field.name.lowercased()
            if replacesAuthorization, lowered == "authorization" { continue }
            if lowered == "content-type" { hasContentType = true }
            lines.append(try line(name: field.name, value: field.value))
        }
        if let authorization {
            lines.append(try line(name: authorization.name, value: authorization.value))
        }
        switch body {
        case .empty:
            break
        case .multipart:
            lines.append("Expect:")
        case .bytes, .file, .stream:
            lines.append("Expect:")
            if !hasContentType { lines.append("Content-Type:") }
        }
        return lines
    }

    /// Rejects text that would break a header or a multipart part header (line breaks, NUL).
    static func checkFieldText(_ text: String, what: String) throws(HTTPTransportError) {
        if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw .invalidRequest("the \(what) contains a line break or NUL")
        }
    }

    private static func line(name: String, value: String) throws(HTTPTransportError) -> String {
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenCharacter) else {
            throw .invalidRequest("invalid header name \"\(name)\"")
        }
        // The value is never echoed: it may be a credential.
        try checkFieldText(value, what: "value of header \(name)")
        // libcurl reads "Name:" as "remove this header" and "Name;" as "send it empty".
        return value.isEmpty ? "\(name);" : "\(name): \(value)"
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension HTTPRequestBody {
    /// Whether there is no body at all.
    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }
}

/// URLs as safe to show: no user info (passwords), no query (pre-signed URLs carry credentials there), no
/// fragment.
public enum URLRedaction {
    /// `url` without user info, query and fragment.
    public static func redacted(_ url: String) -> String {
        RequestValidation.redacted(url)
    }
}
