import HTTPTransport

/// An IPv4 or IPv6 network in CIDR notation (`169.254.0.0/16`, `fc00::/7`).
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let network: IPAddress
    /// The prefix length: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// Parses `address/length`; a bare address is a single-address range. `nil` when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        let length: Int
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed), parts[1].allSatisfy(\.isNumber)
            else { return nil }
            length = parsed
        } else {
            length = maximum
        }
        self.init(address: address, prefixLength: length)
    }

    /// The range of `address` with the given prefix length (host bits are cleared).
    public init(address: IPAddress, prefixLength: Int) {
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefixLength {
                bytes[index] = 0
            } else if bitsBefore + 8 > prefixLength {
                bytes[index] &= UInt8(truncatingIfNeeded: 0xff << (8 - (prefixLength - bitsBefore)))
            }
        }
        network = IPAddress(bytes: bytes) ?? address
        self.prefixLength = prefixLength
    }

    /// Whether `address` (of the same family) lies in the range.
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count
            && IPRange(address: address, prefixLength: prefixLength).network == network
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
