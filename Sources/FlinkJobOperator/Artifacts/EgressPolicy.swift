import HTTPTransport

/// Where the operator may connect to fetch artifacts and signatures (`http(s)://` URIs a tenant wrote).
///
/// The operator runs inside the cluster with a privileged network position, so a FlinkJob must not be able to
/// make it fetch from the cloud metadata service, its own loopback, the Kubernetes API server or other
/// cluster-internal addresses (server-side request forgery). The policy is judged on the address libcurl
/// resolved and is about to connect to, for every connection of every redirect hop (`ConnectionGuard`).
///
/// Decision, first match wins:
/// 1. the Kubernetes API server's own addresses (`protectedAddresses`): always refused;
/// 2. the host is in `allowedHosts` (exact name, or `*.suffix` for any subdomain): allowed;
/// 3. the address is in `allowedRanges`: allowed;
/// 4. the address is in a built-in denied range (`builtInDenied`: loopback, link-local, private, CGNAT, ULA,
///    multicast, reserved) or in `deniedRanges` (e.g. the pod and service CIDRs): refused;
/// 5. otherwise allowed.
/// IPv4 addresses embedded in IPv6 (`::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged as
/// the IPv4 address they carry.
public struct EgressPolicy: Sendable, Hashable {
    /// A denied range and the name a refusal gives it.
    public struct NamedRange: Sendable, Hashable {
        public var range: IPRange
        public var name: String
    }

    /// Host names whose addresses are allowed even in denied ranges (an internal artifact repository).
    public var allowedHosts: [String]
    /// Ranges allowed even though a denied range contains them.
    public var allowedRanges: [IPRange]
    /// Ranges denied in addition to the built-in ones.
    public var deniedRanges: [IPRange]
    /// Addresses never connected to, whatever is allowed (the Kubernetes API server's).
    public var protectedAddresses: [IPAddress]

    public init(
        allowedHosts: [String] = [], allowedRanges: [IPRange] = [], deniedRanges: [IPRange] = [],
        protectedAddresses: [IPAddress] = []
    ) {
        self.allowedHosts = allowedHosts
        self.allowedRanges = allowedRanges
        self.deniedRanges = deniedRanges
        self.protectedAddresses = protectedAddresses
    }

    /// Ranges no artifact is fetched from unless allowed, with the name a refusal uses.
    public static let builtInDenied: [NamedRange] = [
        ("0.0.0.0/8", "this-network"), ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local (cloud metadata)"), ("10.0.0.0/8", "private"), ("172.16.0.0/12", "private"),
        ("192.168.0.0/16", "private"), ("100.64.0.0/10", "shared (carrier-grade NAT)"),
        ("192.0.0.0/24", "IETF protocol assignments"), ("198.18.0.0/15", "benchmarking"),
        ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"), ("::1/128", "loopback"), ("::/96", "IPv4-compatible"),
        ("fe80::/10", "link-local"), ("fc00::/7", "unique local (fc00::/7, the EC2 metadata service among them)"),
        ("ff00::/8", "multicast"),
    ].compactMap { text, name in IPRange(text).map { NamedRange(range: $0, name: name) } }

    /// Why connecting to `address` for `host` is refused, or `nil` when it is allowed. The text names the rule,
    /// not the address (the operator's log has that), so a refusal is no oracle for internal DNS.
    public func refusal(host: String, address: IPAddress) -> String? {
        let address = Self.judged(address)
        if protectedAddresses.contains(where: { Self.judged($0) == address }) {
            return "\(host) resolves to the Kubernetes API server, which artifacts are never fetched from"
        }
        if allowsHost(host) || allowedRanges.contains(where: { $0.contains(address) }) { return nil }
        if let denied = Self.builtInDenied.first(where: { $0.range.contains(address) }) {
            return "\(host) resolves to a \(denied.name) address, which artifacts are not fetched from unless the "
                + "operator allows it (artifacts.egress.allowedHosts or artifacts.egress.allowedRanges)"
        }
        if deniedRanges.contains(where: { $0.contains(address) }) {
            return "\(host) resolves to an address in artifacts.egress.deniedRanges"
        }
        return nil
    }

    /// Whether `host` is allowed by name (case-insensitive; `*.example.com` allows any subdomain of it).
    func allowsHost(_ host: String) -> Bool {
        let host = host.lowercased().trimmingSuffix(".")
        return allowedHosts.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst()) && host.count > pattern.count - 1 }
            return host == pattern
        }
    }

    /// The address a decision is about: an IPv4 address carried inside IPv6 (mapped, NAT64, 6to4) as IPv4.
    static func judged(_ address: IPAddress) -> IPAddress {
        embeddedIPv4(address) ?? address.unmapped
    }

    /// The IPv4 address carried by NAT64 (`64:ff9b::/96`) or 6to4 (`2002::/16`) IPv6 addresses.
    static func embeddedIPv4(_ address: IPAddress) -> IPAddress? {
        let bytes = address.bytes
        guard bytes.count == 16 else { return nil }
        if bytes[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return IPAddress(bytes: Array(bytes[12..<16])) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
