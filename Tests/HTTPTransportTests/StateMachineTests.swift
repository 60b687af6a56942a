import Foundation
import Testing

@testable import HTTPTransport

@Suite("Body buffer state machine")
struct BodyBufferStateMachineTests {
    typealias Machine = BodyBufferStateMachine<String>

    @Test func chunksAreBufferedUntilTheLimitThenTheProducerIsPaused() {
        var machine = Machine(limit: 10)
        let result1 = machine.offer(Data(count: 6))
        #expect(result1.isBuffered)
        let result2 = machine.offer(Data(count: 4))
        #expect(result2.isBuffered)
        let result3 = machine.offer(Data(count: 1))
        #expect(result3.isPause)
        #expect(machine.bufferedBytes == 10)
        #expect(machine.highWaterBytes == 10)
        #expect(machine.pauseCount == 1)
    }

    @Test func aChunkLargerThanTheLimitIsAcceptedIntoAnEmptyBuffer() {
        var machine = Machine(limit: 10)
        let result4 = machine.offer(Data(count: 25))
        #expect(result4.isBuffered)
        let result5 = machine.offer(Data(count: 1))
        #expect(result5.isPause)
    }

    @Test func drainingToHalfTheLimitAsksForAResume() {
        var machine = Machine(limit: 10)
        for _ in 0..<5 { _ = machine.offer(Data(count: 2)) }
        let result6 = machine.offer(Data(count: 2))
        #expect(result6.isPause)
        let result7 = machine.next()
        #expect(result7.resumes == false)  // 8 left
        let result8 = machine.next()
        #expect(result8.resumes == false)  // 6 left
        let result9 = machine.next()
        #expect(result9.resumes == true)  // 4 left: at most half
        let result10 = machine.next()
        #expect(result10.resumes == false)  // already resumed
    }

    @Test func aWaitingConsumerGetsTheNextChunkDirectly() {
        var machine = Machine(limit: 10)
        guard case .wait = machine.next(waiter: "consumer") else {
            Issue.record("expected to wait")
            return
        }
        guard case .deliver(let waiter) = machine.offer(Data(count: 3)) else {
            Issue.record("expected direct delivery")
            return
        }
        #expect(waiter == "consumer")
        #expect(machine.bufferedBytes == 0)
    }

    @Test func bufferedChunksAreStillReadAfterTheProducerFailsThenTheErrorComes() {
        var machine = Machine(limit: 10)
        _ = machine.offer(Data(count: 3))
        let end = machine.finish(error: .timedOut("idle"))
        #expect(end.waiter == nil)
        guard case .chunk(let chunk, _) = machine.next() else {
            Issue.record("expected the buffered chunk")
            return
        }
        #expect(chunk.count == 3)
        guard case .fail(let error) = machine.next() else {
            Issue.record("expected the error")
            return
        }
        #expect(error == .timedOut("idle"))
    }

    @Test func cancellingDropsDataFailsTheWaiterAndAbortsOnlyARunningTransfer() {
        var running = Machine(limit: 10)
        _ = running.next(waiter: "consumer")
        let action = running.cancel(.cancelled)
        #expect(action.waiter == "consumer")
        #expect(action.error == .cancelled)
        #expect(action.abortTransfer)
        let result11 = running.offer(Data(count: 1))
        #expect(result11.isReject)

        var finished = Machine(limit: 10)
        _ = finished.finish(error: nil)
        let result12 = finished.cancel(.cancelled)
        #expect(result12.abortTransfer == false)
        guard case .end = finished.next() else {
            Issue.record("a fully read body stays ended after a late cancel")
            return
        }
    }
}

@Suite("Upload buffer state machine")
struct UploadBufferStateMachineTests {
    typealias Machine = UploadBufferStateMachine<String>

    @Test func readingAnEmptyBufferPausesAndTheNextAppendAsksForAResume() {
        var machine = Machine(limit: 100)
        let result13 = machine.read(upTo: 10)
        #expect(result13.0 == .pause)
        guard case .appended(let resume) = machine.append(Data([1, 2, 3])) else {
            Issue.record("expected append")
            return
        }
        #expect(resume)
        let result14 = machine.read(upTo: 2)
        #expect(result14.0 == .bytes(Data([1, 2])))
        let result15 = machine.read(upTo: 10)
        #expect(result15.0 == .bytes(Data([3])))
        let paused = machine.read(upTo: 10)
        #expect(paused.0 == .pause)
        let result16 = machine.finish(failure: nil)
        #expect(result16 == true)  // the end must unpause the transfer
        let result17 = machine.read(upTo: 10)
        #expect(result17.0 == .end)
    }

    @Test func aFullBufferMakesTheProducerWaitUntilAReadFreesSpace() {
        var machine = Machine(limit: 4)
        _ = machine.append(Data(count: 4))
        guard case .full = machine.append(Data(count: 1)) else {
            Issue.record("expected full")
            return
        }
        let result18 = machine.waitForSpace("producer")
        #expect(result18)
        let (_, wake) = machine.read(upTo: 1)
        #expect(wake == "producer")
    }

    @Test func aFailedSourceAbortsAndAClosedBufferStopsTheProducer() {
        var machine = Machine(limit: 4)
        _ = machine.finish(failure: "boom")
        let result19 = machine.read(upTo: 1)
        #expect(result19.0 == .fail("boom"))

        var closing = Machine(limit: 1)
        _ = closing.append(Data(count: 1))
        let result20 = closing.waitForSpace("producer")
        #expect(result20)
        let result21 = closing.close()
        #expect(result21 == "producer")
        guard case .closed = closing.append(Data(count: 1)) else {
            Issue.record("expected closed")
            return
        }
    }
}

@Suite("Response head parser")
struct ResponseHeadParserTests {
    @Test func interimResponsesAreSkippedAndTheFinalHeadIsKept() {
        var parser = ResponseHeadParser()
        let lines = [
            "HTTP/1.1 100 Continue", "",
            "HTTP/1.1 201 Created", "Content-Type: application/json", "X-Folded:  spaced value \t", "",
        ]
        let completions = lines.map { parser.consume(line: $0) }
        #expect(completions == [false, false, false, false, false, true])
        #expect(parser.finalHead?.status == 201)
        #expect(parser.finalHead?.headers["content-type"] == "application/json")
        #expect(parser.finalHead?.headers["X-Folded"] == "spaced value")
    }

    @Test func aSecondResponseReplacesTheFirstAndTrailersAreIgnored() {
        var parser = ResponseHeadParser()
        for line in ["HTTP/1.1 401 Unauthorized", "WWW-Authenticate: Negotiate", "", "HTTP/2 200", "a: 1", "", "Trailer-Field: x", ""] {
            _ = parser.consume(line: line)
        }
        #expect(parser.finalHead?.status == 200)
        #expect(parser.finalHead?.headers.fields.count == 1)
        #expect(parser.finalHead?.headers["a"] == "1")
    }
}

@Suite("Request validation")
struct RequestValidationTests {
    @Test func redactionDropsUserInfoQueryAndFragment() {
        #expect(RequestValidation.redacted("https://u:p@host:6443/api/v1/pods?watch=1&token=x#f") == "https://host:6443/api/v1/pods")
        #expect(RequestValidation.redacted("http://host/path") == "http://host/path")
    }

    @Test func bodiesGetNoExpectAndNoInventedContentType() throws {
        let lines = try RequestValidation.headerLines([:], authorization: nil, replacesAuthorization: false, body: .bytes(Data()))
        #expect(lines == ["Expect:", "Content-Type:"])
        let typed = try RequestValidation.headerLines(
            ["content-type": "application/json"],
            authorization: ("Authorization", "Bearer t"),
            replacesAuthorization: true,
            body: .bytes(Data())
        )
        #expect(typed == ["content-type: application/json", "Authorization: Bearer t", "Expect:"])
    }

    @Test func durationsRoundUpToWholeMilliseconds() {
        #expect(Duration.nanoseconds(1).roundedUpMilliseconds == 1)
        #expect(Duration.milliseconds(1500).roundedUpMilliseconds == 1500)
        #expect(Duration.seconds(2).roundedUpMilliseconds == 2000)
    }
}

extension BodyBufferStateMachine.OfferAction {
    var isBuffered: Bool { if case .buffered = self { true } else { false } }
    var isPause: Bool { if case .pause = self { true } else { false } }
    var isReject: Bool { if case .reject = self { true } else { false } }
}

extension BodyBufferStateMachine.NextAction {
    var resumes: Bool? { if case .chunk(_, let resume) = self { resume } else { nil } }
}
