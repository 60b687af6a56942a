@testable import FlinkJobOperator
import HTTPTransport
import Testing

@Suite struct EgressPolicyTests {
    private func refusal(_ address: String) -> String? {
        refusal(EgressPolicy(), address)
    }

    private func refusal(_ policy: EgressPolicy, host: String = "repo.example", _ address: String) -> String? {
        policy.refusal(host: host, address: IPAddress(address)!)
    }

    @Test(arguments: [
        ("169.254.169.254", "link-local (cloud metadata)"), ("fd00:ec2::254", "unique local"), ("127.0.0.1", "loopback"),
        ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"),
        ("10.96.0.1", "private"), ("172.20.1.1", "private"), ("192.168.1.1", "private"), ("100.64.0.1", "carrier-grade NAT"),
        ("0.0.0.0", "this-network"), ("64:ff9b::a9fe:a9fe", "link-local"), ("2002:a9fe:a9fe::1", "link-local"),
        ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
    ] as [(String, String)])
    func internalAddressesAreRefusedByDefaultNamingTheRangeNotTheAddress(address: String, range: String) throws {
        let text = try #require(refusal(address))
        #expect(text.contains(range))
        #expect(text.contains("repo.example"))
        #expect(!text.contains(address), "the refusal does not echo the resolved address")
    }

    @Test(arguments: ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"])
    func publicAddressesAreAllowed(address: String) {
        #expect(refusal(address) == nil)
    }

    @Test func allowedRangesAndHostsOpenInternalAddressesButNeverTheAPIServer() {
        let policy = EgressPolicy(
            allowedHosts: ["nexus.tools.svc", "*.corp.example"], allowedRanges: [IPRange("10.20.0.0/16")!],
            protectedAddresses: [IPAddress("10.20.0.1")!])
        #expect(refusal(policy, "10.20.3.4") == nil)
        #expect(refusal(policy, "10.21.3.4") != nil)
        #expect(refusal(policy, host: "nexus.tools.svc", "10.99.0.7") == nil)
        #expect(refusal(policy, host: "NEXUS.tools.svc.", "10.99.0.7") == nil)
        #expect(refusal(policy, host: "repo.corp.example", "192.168.7.7") == nil)
        #expect(refusal(policy, host: "corp.example", "192.168.7.7") != nil, "*.corp.example covers subdomains only")
        #expect(refusal(policy, host: "evilcorp.example", "192.168.7.7") != nil)
        let apiServer = refusal(policy, host: "nexus.tools.svc", "10.20.0.1")
        #expect(apiServer?.contains("Kubernetes API server") == true)
        #expect(refusal(policy, "::ffff:10.20.0.1")?.contains("Kubernetes API server") == true)
    }

    @Test func configuredDeniedRangesAddToTheBuiltInOnes() {
        let policy = EgressPolicy(deniedRanges: [IPRange("203.0.113.0/24")!])
        #expect(refusal(policy, "203.0.113.9")?.contains("artifacts.egress.deniedRanges") == true)
        #expect(refusal(policy, "198.51.100.9") == nil)
    }

    @Test(arguments: [
        ("10.0.0.0/8", true), ("10.1.2.3", true), ("fd00::/8", true), ("10.0.0.0/33", false), ("10.0.0.0/", false),
        ("repo.example/8", false), ("::/129", false), ("10.0.0.0/+8", false),
    ] as [(String, Bool)])
    func rangesParse(text: String, valid: Bool) {
        #expect((IPRange(text) != nil) == valid)
    }

    @Test func rangesContainTheirAddressesOnly() {
        let range = IPRange("172.16.0.0/12")!
        #expect(range.contains(IPAddress("172.31.255.255")!))
        #expect(!range.contains(IPAddress("172.32.0.0")!))
        #expect(!range.contains(IPAddress("::ffff:172.16.0.1")!), "families are not mixed; unmapping is the policy's job")
        #expect(IPRange("10.1.2.3/8")?.description == "10.0.0.0/8")
    }
}

@Suite struct URIPrefixTests {
    @Test(arguments: [
        ("https://repo.example.com/releases/app.jar", "https://repo.example.com/releases/", true),
        ("https://repo.example.com/releases/app.jar", "https://repo.example.com/releases", true),
        ("https://repo.example.com/releases/app.jar", "https://repo.example.com", true),
        ("https://REPO.example.com:443/releases/app.jar", "https://repo.example.com/", true),
        // Bypasses that a character prefix would let through:
        ("https://repo.example.com.evil.io/app.jar", "https://repo.example.com", false),
        ("https://repo.example.com@evil.io/app.jar", "https://repo.example.com", false),
        ("https://user@repo.example.com/app.jar", "https://repo.example.com", false),
        ("https://repo.example.com/releases-evil/app.jar", "https://repo.example.com/releases", false),
        ("https://repo.example.com/releases/../private/key", "https://repo.example.com/releases/", false),
        ("https://repo.example.com/releases/%2e%2e/private/key", "https://repo.example.com/releases/", false),
        ("https://repo.example.com/releases/..%2fprivate", "https://repo.example.com/releases/", false),
        ("https://repo.example.com:8443/releases/app.jar", "https://repo.example.com/releases/", false),
        ("http://repo.example.com/releases/app.jar", "https://repo.example.com/releases/", false),
        ("file:///opt/jobs/app.jar", "file:///opt/jobs/", true),
        ("file:///opt/jobs-other/app.jar", "file:///opt/jobs", false),
    ] as [(String, String, Bool)])
    func prefixesMatchByComponentsAndWholeSegments(uri: String, prefix: String, matches: Bool) {
        #expect(URIPrefix.matches(uri, prefix: prefix) == matches)
    }
}

@Suite struct ArtifactRedirectTests {
    private func decide(
        _ status: Int, _ location: String?, from current: String = "https://repo.example/a.jar", hops: Int = 0,
        prefixes: [String]? = nil
    ) -> ArtifactRedirect {
        ArtifactRedirect.decide(
            status: status, location: location, from: current, hops: hops, maxRedirects: 5, allowedPrefixes: prefixes)
    }

    @Test func redirectsAreFollowedWithinTheRules() {
        #expect(decide(200, nil) == .done)
        #expect(decide(302, "https://cdn.example/a.jar") == .follow("https://cdn.example/a.jar"))
        #expect(decide(307, "/mirror/a.jar") == .follow("https://repo.example/mirror/a.jar"))
        #expect(decide(301, "http://cdn.example/a.jar", from: "http://repo.example/a.jar") == .follow("http://cdn.example/a.jar"))
    }

    @Test func redirectsOutsideTheRulesAreRefused() {
        guard case .refused(let downgrade) = decide(302, "http://cdn.example/a.jar") else { Issue.record(); return }
        #expect(downgrade.contains("https to plain http"))
        guard case .refused(let scheme) = decide(302, "file:///etc/passwd") else { Issue.record(); return }
        #expect(scheme.contains("leaves http(s)"))
        guard case .refused(let prefix) = decide(302, "https://elsewhere.example/a.jar", prefixes: ["https://repo.example/"])
        else { Issue.record(); return }
        #expect(prefix.contains("not under any allowed URI prefix"))
        #expect(decide(302, "https://repo.example/b.jar", prefixes: ["https://repo.example/"]) == .follow("https://repo.example/b.jar"))
        #expect(decide(302, "https://repo.example/b.jar", hops: 5) == .failed("more than 5 redirects"))
        #expect(decide(302, nil) == .failed("a redirect (HTTP 302) without a usable Location"))
        #expect(decide(404, nil) == .failed("the server answered HTTP 404"))
    }

    @Test func aRedirectTargetIsShownWithoutItsQuery() {
        guard case .refused(let text) = decide(302, "http://cdn.example/a.jar?X-Amz-Signature=secret") else {
            Issue.record()
            return
        }
        #expect(!text.contains("secret"))
    }
}
