import Crypto
import Foundation
import HTTPTransport
import Testing

extension LoopbackIntegration {
    @Suite("Request bodies")
    struct RequestBodyTests {
        static let megabyte = testBytes(count: 1 << 20)
        static let megabyteDigest = SHA256.hex(of: megabyte)

        @Test func aOneMegabyteBodyFromMemoryArrivesIntact() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(
                        HTTPRequest(
                            method: .post,
                            url: "http://127.0.0.1:\(port)/digest",
                            headers: ["Content-Type": "application/octet-stream"],
                            body: .bytes(Self.megabyte)
                        )
                    )
                    #expect(response.status == 200)
                    #expect(response.fields["method"] == "POST")
                    #expect(response.fields["length"] == "\(Self.megabyte.count)")
                    #expect(response.fields["sha256"] == Self.megabyteDigest)
                    #expect(response.fields["content-type"] == "application/octet-stream")
                    #expect(response.fields["expect"] == "<none>")
                }
            }
        }

        @Test func aOneMegabyteFileIsStreamedFromDiskIntact() async throws {
            try await withTemporaryDirectory { directory in
                let file = directory.appendingPathComponent("upload.bin")
                try Self.megabyte.write(to: file)
                try await LoopbackServer.with { port in
                    try await withClient { client in
                        let response = try await client.execute(
                            HTTPRequest(method: .put, url: "http://127.0.0.1:\(port)/digest", body: .file(path: file.path))
                        )
                        #expect(response.fields["method"] == "PUT")
                        #expect(response.fields["content-length"] == "\(Self.megabyte.count)")
                        #expect(response.fields["sha256"] == Self.megabyteDigest)
                        // libcurl's default form content type must not be invented for a body without one.
                        #expect(response.fields["content-type"] == "<none>")
                    }
                }
            }
        }

        @Test func aStreamWithAKnownLengthIsSentWithContentLength() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(
                        HTTPRequest(
                            method: .patch,
                            url: "http://127.0.0.1:\(port)/digest",
                            body: .stream(Self.chunked(Self.megabyte), length: Int64(Self.megabyte.count))
                        )
                    )
                    #expect(response.fields["method"] == "PATCH")
                    #expect(response.fields["content-length"] == "\(Self.megabyte.count)")
                    #expect(response.fields["transfer-encoding"] == "<none>")
                    #expect(response.fields["sha256"] == Self.megabyteDigest)
                }
            }
        }

        @Test func aStreamWithoutALengthIsSentChunked() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(
                        HTTPRequest(
                            method: .post,
                            url: "http://127.0.0.1:\(port)/digest",
                            body: .stream(Self.chunked(Self.megabyte, delayEvery: 16), length: nil)
                        )
                    )
                    #expect(response.fields["transfer-encoding"] == "chunked")
                    #expect(response.fields["length"] == "\(Self.megabyte.count)")
                    #expect(response.fields["sha256"] == Self.megabyteDigest)
                }
            }
        }

        @Test func aMultipartFormStreamsFilePartsAndKeepsPartMetadata() async throws {
            try await withTemporaryDirectory { directory in
                let file = directory.appendingPathComponent("job.jar")
                try Self.megabyte.write(to: file)
                let small = Data("{\"entryClass\":\"Main\"}".utf8)
                try await LoopbackServer.with { port in
                    try await withClient { client in
                        let response = try await client.execute(
                            HTTPRequest(
                                method: .post,
                                url: "http://127.0.0.1:\(port)/multipart",
                                body: .multipart([
                                    MultipartPart(
                                        name: "jarfile",
                                        filename: "job.jar",
                                        contentType: "application/x-java-archive",
                                        content: .file(path: file.path)
                                    ),
                                    MultipartPart(name: "meta", contentType: "application/json", content: .bytes(small)),
                                    MultipartPart(name: "default-name", content: .file(path: file.path)),
                                ])
                            )
                        )
                        #expect(response.status == 200)
                        let parts = response.text.split(separator: "\n").map(String.init)
                        #expect(
                            parts == [
                                "jarfile|job.jar|application/x-java-archive|\(Self.megabyte.count)|\(Self.megabyteDigest)",
                                "meta|<none>|application/json|\(small.count)|\(SHA256.hex(of: small))",
                                "default-name|job.jar|application/octet-stream|\(Self.megabyte.count)|\(Self.megabyteDigest)",
                            ]
                        )
                    }
                }
            }
        }

        @Test func aDeleteMayCarryABody() async throws {
            let deleteOptions = Data("{\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Foreground\"}".utf8)
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(
                        HTTPRequest(
                            method: .delete,
                            url: "http://127.0.0.1:\(port)/digest",
                            headers: ["Content-Type": "application/json"],
                            body: .bytes(deleteOptions)
                        )
                    )
                    #expect(response.fields["method"] == "DELETE")
                    #expect(response.fields["length"] == "\(deleteOptions.count)")
                    #expect(response.fields["sha256"] == SHA256.hex(of: deleteOptions))
                }
            }
        }

        @Test(arguments: [HTTPMethod.post, .put, .patch])
        func aBodilessWriteSendsAZeroContentLength(method: HTTPMethod) async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)/digest"))
                    #expect(response.fields["method"] == method.rawValue)
                    #expect(response.fields["length"] == "0")
                    #expect(response.fields["content-length"] == "0")
                }
            }
        }

        @Test func aBodilessDeleteAndGetSendNoBody() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    for method in [HTTPMethod.delete, .get] {
                        let response = try await client.execute(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)/digest"))
                        #expect(response.fields["method"] == method.rawValue)
                        #expect(response.fields["length"] == "0")
                    }
                }
            }
        }

        @Test func aHeadRequestReturnsTheHeadWithoutABody() async throws {
            try await LoopbackServer.with { port in
                try await withClient { client in
                    let response = try await client.execute(HTTPRequest(method: .head, url: "http://127.0.0.1:\(port)/hello"))
                    #expect(response.status == 200)
                    #expect(response.body.isEmpty)
                }
            }
        }

        /// `data` as a stream of 16 KiB chunks; a short pause every `delayEvery` chunks makes the producer slower
        /// than libcurl, so the upload pauses and resumes.
        static func chunked(_ data: Data, delayEvery: Int? = nil) -> AsyncThrowingStream<Data, any Error> {
            AsyncThrowingStream { continuation in
                let task = Task {
                    var offset = 0
                    var index = 0
                    while offset < data.count {
                        let end = min(offset + (16 << 10), data.count)
                        continuation.yield(data.subdata(in: offset..<end))
                        offset = end
                        index += 1
                        if let delayEvery, index % delayEvery == 0 { try? await Task.sleep(for: .milliseconds(5)) }
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
    }
}
