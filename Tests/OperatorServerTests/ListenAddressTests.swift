import OperatorServer
import Testing

@Suite("ListenAddress")
struct ListenAddressTests {
    @Test(
        "valid HOST:PORT forms parse",
        arguments: [
            ("0.0.0.0:8080", "0.0.0.0", 8080),
            ("127.0.0.1:0", "127.0.0.1", 0),
            ("localhost:9090", "localhost", 9090),
            (":8080", "0.0.0.0", 8080),
            ("[::]:8080", "::", 8080),
            ("[::1]:65535", "::1", 65535),
            ("  10.0.0.1:80 ", "10.0.0.1", 80),
        ])
    func validFormsParse(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(
        "invalid listen addresses are typed errors",
        arguments: ["", "8080", "host:", "host:http", "host:65536", "host:-1", "::1:8080", "[::1:8080", "a b:80",
                    "host:123456", "host:+80"])
    func invalidAddressesThrow(text: String) {
        #expect {
            try ListenAddress(parsing: text)
        } throws: { error in
            guard case OperatorServerError.invalidListenAddress(let got, _) = error else { return false }
            return got == text
        }
    }

    @Test("description parses back to the same address")
    func descriptionRoundTrips() throws {
        for address in [ListenAddress.default, ListenAddress(host: "::1", port: 80), ListenAddress(host: "h", port: 0)] {
            #expect(try ListenAddress(parsing: address.description) == address)
        }
        #expect(ListenAddress.default.description == "0.0.0.0:8080")
        #expect(ListenAddress(host: "::", port: 8080).description == "[::]:8080")
    }
}
