import Foundation

/// A body split into lines at line feeds, for newline-delimited JSON such as Kubernetes watch events.
///
/// Lines may span chunks and a chunk may hold many lines. Each element is one line without its `\n` (and
/// without a `\r` before it); empty lines are skipped; a last line without a line feed is returned at the end.
public struct HTTPBodyLines: AsyncSequence, Sendable {
    /// A chunk (or a line) of the body.
    public typealias Element = Data
    /// Transfer failures are `HTTPTransportError`s.
    public typealias Failure = any Error

    /// The default bound on one line: far above any Kubernetes object (etcd limits them to about 1.5 MiB).
    public static let defaultMaxLineBytes = 16 << 20

    private let base: HTTPBodyStream
    private let maxLineBytes: Int

    /// Splits `base` into lines of at most `maxLineBytes` bytes.
    public init(_ base: HTTPBodyStream, maxLineBytes: Int = HTTPBodyLines.defaultMaxLineBytes) {
        self.base = base
        self.maxLineBytes = maxLineBytes
    }

    /// Iterates the lines.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// A chunk (or a line) of the body.
        public typealias Element = Data
        /// Transfer failures are `HTTPTransportError`s.
        public typealias Failure = any Error

        private var base: HTTPBodyStream.AsyncIterator
        private let maxLineBytes: Int
        private var buffer: [UInt8] = []
        private var lineStart = 0
        /// Everything before this index (and after `lineStart`) is known to hold no line feed.
        private var scanFrom = 0
        private var baseEnded = false

        fileprivate init(base: HTTPBodyStream.AsyncIterator, maxLineBytes: Int) {
            self.base = base
            self.maxLineBytes = maxLineBytes
        }

        /// The next non-empty line, or `nil` at the end of the body.
        ///
        /// - Throws: `HTTPTransportError.lineTooLong` for an over-long line, or the body's error.
        public mutating func next() async throws -> Data? {
            while true {
                if let newline = buffer[scanFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = takeLine(upTo: newline)
                    lineStart = newline + 1
                    scanFrom = lineStart
                    if line.isEmpty { continue }
                    return line
                }
                scanFrom = buffer.count
                if buffer.count - lineStart > maxLineBytes {
                    throw HTTPTransportError.lineTooLong(limit: maxLineBytes)
                }
                if baseEnded {
                    guard lineStart < buffer.count else { return nil }
                    let line = takeLine(upTo: buffer.count)
                    lineStart = buffer.count
                    scanFrom = lineStart
                    if line.isEmpty { return nil }
                    return line
                }
                if lineStart > 0 {
                    // Compact once per chunk, not once per line.
                    buffer.removeFirst(lineStart)
                    scanFrom -= lineStart
                    lineStart = 0
                }
                if let chunk = try await base.next() {
                    buffer.append(contentsOf: chunk)
                } else {
                    baseEnded = true
                }
            }
        }

        private func takeLine(upTo end: Int) -> Data {
            var last = end
            if last > lineStart, buffer[last - 1] == UInt8(ascii: "\r") { last -= 1 }
            return Data(buffer[lineStart..<last])
        }
    }

    /// Starts reading; see the type's documentation for what ending early does.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), maxLineBytes: maxLineBytes)
    }
}
