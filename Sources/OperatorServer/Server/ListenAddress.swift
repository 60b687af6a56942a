/// The `HOST:PORT` the operator's HTTP server listens on (`server.listen`, `--listen`).
///
/// Accepted forms: `0.0.0.0:8080`, `127.0.0.1:0` (port 0 picks a free port), `localhost:9090`, `[::]:8080`,
/// `[::1]:8080` and `:8080` (all IPv4 interfaces). Parsing never crashes; bad text throws
/// `OperatorServerError.invalidListenAddress`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP literal to bind (IPv6 without brackets).
    public var host: String
    /// The TCP port, 0...65535; 0 asks the kernel for a free port.
    public var port: Int

    /// The contract's default, `0.0.0.0:8080`.
    public static let `default` = ListenAddress(host: "0.0.0.0", port: 8080)

    /// Makes an address from its parts; `port` must be in 0...65535 (checked when the server starts listening).
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; an empty host means `0.0.0.0`, IPv6 hosts go in brackets.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace
        guard let colon = trimmed.lastIndex(of: ":") else {
            throw OperatorServerError.invalidListenAddress(text, reason: "expected HOST:PORT")
        }
        var host = String(trimmed[..<colon])
        let portText = trimmed[trimmed.index(after: colon)...]
        if host.hasPrefix("[") || host.hasSuffix("]") {
            guard host.hasPrefix("["), host.hasSuffix("]"), host.count > 2 else {
                throw OperatorServerError.invalidListenAddress(text, reason: "unbalanced brackets around the IPv6 host")
            }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw OperatorServerError.invalidListenAddress(text, reason: "an IPv6 host must be written in brackets, e.g. [::]:8080")
        }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), portText.count <= 5,
            let port = Int(portText), (0...65535).contains(port)
        else {
            throw OperatorServerError.invalidListenAddress(text, reason: "the port must be a number from 0 to 65535")
        }
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw OperatorServerError.invalidListenAddress(text, reason: "the host contains spaces or slashes")
        }
        self.init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    /// `HOST:PORT`, with brackets around an IPv6 host; parses back to the same address.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension String {
    /// The text without leading and trailing whitespace (no Foundation needed).
    fileprivate var trimmingWhitespace: Substring {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
