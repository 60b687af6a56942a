import Foundation
import HTTPTransport
import Testing

extension LoopbackIntegration {
    @Suite("Streaming responses")
    struct StreamingTests {
        @Test func aHundredMegabyteBodyStreamsWithBoundedMemoryToASlowReader() async throws {
            let total = 100 << 20
            let bufferLimit = 1 << 20
            try await LoopbackServer.with { port in
                try await withClient(CurlHTTPClient.Configuration(streamBufferBytes: bufferLimit)) { client in
                    let baseline = residentMemoryBytes()
                    var peak = baseline ?? 0
                    let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/bytes?count=\(total)"))
                    #expect(response.status == 200)
                    var received = 0
                    var chunks = 0
                    for try await chunk in response.body {
                        received += chunk.count
                        chunks += 1
                        // Slow at first, so the buffer fills and the transfer must pause.
                        if chunks <= 40 { try await Task.sleep(for: .milliseconds(20)) }
                        if chunks % 256 == 0, let now = residentMemoryBytes() { peak = max(peak, now) }
                    }
                    #expect(received == total)
                    let statistics = try #require(response.body.bufferStatistics)
                    #expect(statistics.limitBytes == bufferLimit)
                    #expect(statistics.highWaterBytes <= bufferLimit)
                    #expect(statistics.highWaterBytes > bufferLimit / 2, "the slow reader should have let the buffer fill")
                    #expect(statistics.pauseCount > 0)
                    if let baseline {
                        // Generous: other tests run concurrently in this process. Unbounded buffering would add ~100 MB.
                        #expect(peak - baseline < 40 << 20, "RSS grew by \((peak - baseline) >> 20) MiB")
                    }
                }
            }
        }

        @Test func newlineDelimitedJSONIsSplitIntoLinesAcrossChunks() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/ndjson"))
                    var lines: [String] = []
                    for try await line in response.body.lines {
                        lines.append(String(decoding: line, as: UTF8.self))
                    }
                    #expect(
                        lines == [
                            "{\"type\":\"ADDED\",\"n\":1}",
                            "{\"type\":\"MODIFIED\",\"n\":2}",
                            "{\"type\":\"DELETED\",\"n\":3}",
                            "{\"type\":\"BOOKMARK\",\"n\":4}",
                            "{\"type\":\"ADDED\",\"n\":5}",
                        ]
                    )
                    for line in lines {
                        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
                    }
                }
            }
        }

        @Test func collectReturnsTheWholeBodyAndRefusesMoreThanItsLimit() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let small = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/bytes?count=100000"))
                    #expect(try await small.body.collect(upTo: 100_000).count == 100_000)

                    let large = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/bytes?count=\(8 << 20)"))
                    await #expect(throws: HTTPTransportError.bodyTooLarge(limit: 1 << 20)) {
                        try await large.body.collect(upTo: 1 << 20)
                    }
                    try await waitUntilIdle(client)
                }
            }
        }

        @Test func aStreamedErrorStatusIsAResponseWithItsBody() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/status/404"))
                    #expect(response.status == 404)
                    #expect(try await response.body.collect(upTo: 1000) == Data("status 404".utf8))
                }
            }
        }

        @Test func breakingOutOfTheBodyLoopAbortsTheTransfer() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/bytes?count=\(100 << 20)"))
                    for try await _ in response.body { break }
                    try await waitUntilIdle(client)
                    // The body is over for good: a later reader sees the cancellation, not more data.
                    var iterator = response.body.makeAsyncIterator()
                    await #expect(throws: HTTPTransportError.cancelled) { try await iterator.next() }
                }
            }
        }

        @Test func droppingAnUnreadStreamingResponseAbortsTheTransfer() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    do {
                        let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/stall"))
                        #expect(response.status == 200)
                    }
                    try await waitUntilIdle(client)
                }
            }
        }

        @Test func aBodyBuiltFromChunksIteratesThemAndSplitsLines() async throws {
            let body = HTTPBodyStream(AsyncThrowingStream { continuation in
                for piece in ["a\nb", "", "c\r\nd", "\n\ne"] { continuation.yield(Data(piece.utf8)) }
                continuation.finish()
            })
            var lines: [String] = []
            for try await line in body.lines { lines.append(String(decoding: line, as: UTF8.self)) }
            #expect(lines == ["a", "bc", "d", "e"])
            #expect(try await HTTPBodyStream(bytes: Data("xyz".utf8)).collect(upTo: 3) == Data("xyz".utf8))
        }

        @Test func aLineLongerThanTheLimitFails() async throws {
            let body = HTTPBodyStream(bytes: Data(repeating: UInt8(ascii: "x"), count: 100))
            await #expect(throws: HTTPTransportError.lineTooLong(limit: 10)) {
                for try await _ in body.lines(maxLineBytes: 10) {}
            }
        }
    }
}
