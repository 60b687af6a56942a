/// The status line and header fields of a response, without the body.
struct ResponseHead: Sendable, Equatable {
    /// The HTTP status code.
    var status: Int
    /// The header fields, in order.
    var headers: HTTPHeaders
}

/// Assembles the final response head from the lines libcurl's header callback delivers one by one.
///
/// libcurl passes every response of an exchange to the header callback: interim `1xx` responses, the
/// response to a first authentication round, the final response and any trailers after the body. Each
/// status line starts a new head; a blank line completes it, and only a non-`1xx` head counts. Lines after
/// a completed head that are not a status line are trailers and are ignored.
struct ResponseHeadParser {
    private var status: Int?
    private var fields: [(name: String, value: String)] = []
    private var isComplete = false
    /// The latest completed non-interim head.
    private(set) var finalHead: ResponseHead?

    /// Feeds one header line (with or without its CRLF); returns `true` when it completed a final head.
    mutating func consume(line bytes: UnsafeRawBufferPointer) -> Bool {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        return consume(line: line)
    }

    /// Feeds one header line without its CRLF; returns `true` when it completed a final head.
    mutating func consume(line: String) -> Bool {
        if line.hasPrefix("HTTP/") {
            status = Self.statusCode(of: line)
            fields = []
            isComplete = false
            return false
        }
        guard !isComplete, let status else { return false }
        if line.isEmpty {
            isComplete = true
            guard status >= 200 else {
                // An interim response (100 Continue, 103 Early Hints): the real one follows.
                self.status = nil
                return false
            }
            finalHead = ResponseHead(status: status, headers: HTTPHeaders(fields))
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return false }
        let name = String(line[..<colon]).trimmingWhitespace()
        let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
        if !name.isEmpty { fields.append((name, value)) }
        return false
    }

    /// The status code in `HTTP/1.1 200 OK` or `HTTP/2 200`.
    private static func statusCode(of line: String) -> Int? {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, let code = Int(parts[1]), (100...999).contains(code) else { return nil }
        return code
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
