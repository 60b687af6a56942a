import Foundation
import Synchronization

/// A raw TCP server on 127.0.0.1 that resets the first connection once it has read a request, and answers
/// `200 OK` with body `second` on the next one: a connection that breaks under a request.
///
/// Written on plain sockets because no HTTP server library lets a handler reset the TCP connection.
final class ResettingServer: Sendable {
    /// The listening port.
    let port: Int
    private let listener: Int32
    private let accepted = Mutex(0)

    /// How many connections were accepted so far.
    var connectionCount: Int { accepted.withLock { $0 } }

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClosedPortError.socketFailed }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 8) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ready else {
            close(descriptor)
            throw ClosedPortError.socketFailed
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in serve() }.start()
    }

    /// Stops accepting; the serving thread ends (and releases the server).
    func stop() {
        // accept() fails on a shut-down socket, which ends the loop.
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit {
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let number = accepted.withLock { count in
                count += 1
                return count
            }
            readRequestHead(connection)
            if number == 1 {
                // Linger 0: close() sends RST instead of FIN.
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            } else {
                let response = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecond"
                _ = response.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            }
            close(connection)
        }
    }

    private func readRequestHead(_ connection: Int32) {
        // Enough for these tests: the head ends at the first blank line; a body may follow in the same read.
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains("\r\n\r\n") {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }
}
