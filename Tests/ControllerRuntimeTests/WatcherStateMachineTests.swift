@testable import ControllerRuntime
import JSONCore
import Testing

@Suite struct WatcherStateMachineTests {
    private func raw(_ name: String, _ version: String) -> RawObject {
        RawObject(json: ["metadata": ["name": .string(name), "resourceVersion": .string(version)]])
    }

    @Test func listsEveryPageBeforeReplacingTheCacheThenWatchesFromTheListVersion() {
        var machine = WatcherStateMachine()
        #expect(machine.nextAction() == .list(continueToken: nil))
        #expect(
            machine.pageListed(RawObjectList(items: [raw("a", "5")], resourceVersion: "9", continueToken: "t1"))
                == .listNext(continueToken: "t1"))
        #expect(machine.nextAction() == .list(continueToken: "t1"))
        let outcome = machine.pageListed(RawObjectList(items: [raw("b", "7")], resourceVersion: "9"))
        #expect(outcome == .replaceCache(items: [raw("a", "5"), raw("b", "7")], resourceVersion: "9"))
        #expect(machine.state == .initListed(resourceVersion: "9"))
        #expect(machine.nextAction() == .watch(resourceVersion: "9"))
    }

    @Test func resumesFromTheLastEventIncludingBookmarksAfterTheStreamEnds() {
        var machine = WatcherStateMachine()
        _ = machine.nextAction()
        _ = machine.pageListed(RawObjectList(items: [], resourceVersion: "10"))
        _ = machine.nextAction()
        machine.eventReceived(resourceVersion: "12")
        machine.eventReceived(resourceVersion: "15")
        machine.failedOrEnded()
        #expect(machine.nextAction() == .watch(resourceVersion: "15"))
    }

    @Test func aGoneAnswerStartsOverWithAFreshList() {
        var machine = WatcherStateMachine()
        _ = machine.nextAction()
        _ = machine.pageListed(RawObjectList(items: [], resourceVersion: "10"))
        _ = machine.nextAction()
        machine.eventReceived(resourceVersion: "11")
        machine.gone()
        #expect(machine.state == .empty)
        #expect(machine.nextAction() == .list(continueToken: nil))
    }

    @Test func anExpiredContinueTokenRestartsTheListFromTheFirstPage() {
        var machine = WatcherStateMachine()
        _ = machine.nextAction()
        _ = machine.pageListed(RawObjectList(items: [raw("a", "1")], resourceVersion: "3", continueToken: "t"))
        machine.gone()
        #expect(machine.nextAction() == .list(continueToken: nil))
        // The first page's items are not carried into the new listing.
        #expect(
            machine.pageListed(RawObjectList(items: [raw("c", "4")], resourceVersion: "4"))
                == .replaceCache(items: [raw("c", "4")], resourceVersion: "4"))
    }

    @Test func eventsWithoutAVersionDoNotMoveTheResumePoint() {
        var machine = WatcherStateMachine()
        _ = machine.nextAction()
        _ = machine.pageListed(RawObjectList(items: [], resourceVersion: "10"))
        _ = machine.nextAction()
        machine.eventReceived(resourceVersion: nil)
        machine.eventReceived(resourceVersion: "")
        #expect(machine.nextAction() == .watch(resourceVersion: "10"))
    }
}
