import Foundation

/// A minimal `multipart/form-data` parser for the test server (RFC 7578), enough to check what the client sent.
struct MultipartParser {
    /// One parsed part.
    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        var body: [UInt8]
    }

    enum Failure: Error { case noBoundary, malformed(String) }

    /// The boundary parameter of a `multipart/form-data` content type.
    static func boundary(fromContentType contentType: String) throws -> String {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")) }
            if pair.count == 2, pair[0].lowercased() == "boundary" { return pair[1] }
        }
        throw Failure.noBoundary
    }

    /// Splits `body` into parts.
    static func parse(_ body: [UInt8], boundary: String) throws -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var positions: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        guard positions.count >= 2 else { throw Failure.malformed("fewer than two delimiters") }
        var parts: [Part] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            // Skip the delimiter and its CRLF; the part ends before the CRLF that precedes the next delimiter.
            let contentStart = start + delimiter.count + 2
            let contentEnd = end - 2
            guard contentStart <= contentEnd else { throw Failure.malformed("empty part") }
            let content = Array(body[contentStart..<contentEnd])
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: content, from: 0) else {
                throw Failure.malformed("part without header end")
            }
            let headerText = String(decoding: content[0..<headerEnd], as: UTF8.self)
            var part = Part(body: Array(content[(headerEnd + 4)...]))
            for line in headerText.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "content-disposition":
                    part.name = parameter("name", in: pair[1])
                    part.filename = parameter("filename", in: pair[1])
                case "content-type":
                    part.contentType = pair[1]
                default: break
                }
            }
            parts.append(part)
        }
        return parts
    }

    private static func parameter(_ name: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
            if pair.count == 2, pair[0] == name { return pair[1] }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count,
            let candidate = haystack[index...(haystack.count - needle.count)].firstIndex(of: needle[0])
        {
            if haystack[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }
}
