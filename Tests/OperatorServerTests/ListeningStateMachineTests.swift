import Testing

@testable import OperatorServer

@Suite("ListeningStateMachine")
struct ListeningStateMachineTests {
    @Test("a server that ends without listening has no port, and one that listened keeps no waiters")
    func transitions() {
        var machine = ListeningStateMachine()
        #expect(machine.port == nil)
        #expect(machine.listening(port: 8080).isEmpty)
        #expect(machine.port == 8080)
        #expect(machine.listening(port: 9090).isEmpty)
        #expect(machine.port == 8080)
        #expect(machine.ended().isEmpty)
        #expect(machine.port == nil)
        guard case .ended(let port) = machine.state else {
            Issue.record("expected ended")
            return
        }
        #expect(port == 8080)

        var failed = ListeningStateMachine()
        #expect(failed.ended().isEmpty)
        guard case .ended(nil) = failed.state else {
            Issue.record("expected ended without port")
            return
        }
        #expect(failed.cancel(id: 1) == nil)
    }
}
