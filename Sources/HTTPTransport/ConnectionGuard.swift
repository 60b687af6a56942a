#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as raw bytes (4 or 16, network order).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// An address from its 4 or 16 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses dotted IPv4 (`10.0.0.1`) or IPv6 text (`fd00:ec2::254`, `::ffff:127.0.0.1`) with the system's
    /// `inet_pton`; `nil` otherwise.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stands for; `self` otherwise.
    public var unmapped: IPAddress {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff
        else { return self }
        return IPAddress(bytes: Array(bytes[12..<16])) ?? self
    }

    /// The address as `inet_ntop` writes it (`10.0.0.1`, `fd00:ec2::254`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard written != nil else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Decides, for every connection a request opens, whether the resolved address may be connected to.
///
/// The check runs inside libcurl's `CURLOPT_OPENSOCKETFUNCTION`, on the address libcurl resolved and is about to
/// connect to, so a DNS answer cannot change between the check and the connect. A guarded request never reuses
/// a connection (`CURLOPT_FRESH_CONNECT`, `CURLOPT_FORBID_REUSE`): every connection it uses was checked for it.
/// When one address of a host is refused libcurl tries the host's other addresses; when none is left the
/// request fails with `HTTPTransportError.connectionRefusedByPolicy` carrying the refusal.
public struct ConnectionGuard: Sendable {
    /// `nil` to allow, or why the address is refused.
    public let refusal: @Sendable (IPAddress) -> String?

    public init(refusal: @escaping @Sendable (IPAddress) -> String?) {
        self.refusal = refusal
    }
}
