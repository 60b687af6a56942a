import Foundation
import HTTPTransport
import JSONCore
import KubernetesEmulator
import Synchronization

/// Replays one transcript against a fresh emulator over HTTPS with `CurlHTTPClient` and compares every answer.
struct ReplayRunner {
    /// The outcome of one step.
    struct StepOutcome: Sendable {
        var index: Int
        var exemption: String?
        var differences: [String]

        var passed: Bool { exemption == nil && differences.isEmpty }
    }

    /// The outcome of a scenario.
    struct Result: Sendable {
        var scenario: String
        var steps: [StepOutcome]
        var rankProblems: [String]

        var passedCount: Int { steps.filter(\.passed).count }
        var exemptedCount: Int { steps.filter { $0.exemption != nil }.count }
        var failed: [StepOutcome] { steps.filter { $0.exemption == nil && !$0.differences.isEmpty } }

        var summary: String {
            "\(scenario): \(passedCount) passed, \(exemptedCount) exempted, \(failed.count) failed of \(steps.count) steps"
        }
    }

    static let nopermToken = "noperm-token-dev-user"
    static let invalidToken = "this-token-is-not-known"
    /// Every server timestamp is this instant during replays, so managedFields ordering (by time, then
    /// manager) is deterministic, as it was within the recording's single second.
    static let frozenNow = Date(timeIntervalSince1970: 1_767_225_600)
    /// Watch durations run 20 times faster: `timeoutSeconds=75` ends after 3.75 s, bookmarks follow suit (the
    /// step-5 write, recorded ~5 s in, must still precede the first bookmark at 3 s even on a loaded machine).
    static let watchTimeScale = 0.05

    /// The two CRDs every scenario but `crd-create` starts with (the bodies crd-create.json POSTs).
    static func readmeCRDs() throws -> [JSONValue] {
        let transcript = try Transcript.load("crd-create")
        return transcript.steps.prefix(2).compactMap(\.request.body)
    }

    static func run(_ scenario: String) async throws -> Result {
        let transcript = try Transcript.load(scenario)
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = ["team-a", "team-b"]
        configuration.users = [EmulatorUser(name: "dev-user", groups: ["dev-group"], token: nopermToken, rules: [])]
        configuration.clock = { frozenNow }
        configuration.watchTimeScale = watchTimeScale
        // crd-create's second POST must happen before the first CRD is established (as recorded).
        configuration.crdEstablishDelay = scenario == "crd-create" ? .seconds(3) : .milliseconds(10)
        let emulator = try await KubernetesEmulator.start(configuration)
        let client = try CurlHTTPClient(configuration: .init(
            tls: TLSConfiguration(trustRoots: .pem(emulator.caCertificatePEM)), requestTimeout: .seconds(30), userAgent: ""))
        do {
            if scenario != "crd-create" {
                for crd in try readmeCRDs() { try await emulator.installCRD(crd) }
            }
            let result = try await replay(transcript, emulator: emulator, client: client)
            await client.shutdown()
            await emulator.stop()
            return result
        } catch {
            await client.shutdown()
            await emulator.stop()
            throw error
        }
    }

    private static func token(_ auth: String, _ emulator: KubernetesEmulator) -> String? {
        switch auth {
        case "admin": emulator.adminToken
        case "noperm": nopermToken
        case "invalid": invalidToken
        default: nil
        }
    }

    private static func url(_ base: String, _ path: String, _ query: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let q = query.keys.sorted().map { k in
            "\(k.addingPercentEncoding(withAllowedCharacters: allowed) ?? k)=\(query[k]?.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        return base + path + (q.isEmpty ? "" : "?" + q)
    }

    private static func stripManagedFields(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(var o):
            if case .object(var meta)? = o["metadata"] {
                meta["managedFields"] = nil
                o["metadata"] = .object(meta)
            }
            for (k, v) in o where k != "metadata" { o[k] = stripManagedFields(v) }
            return .object(o)
        case .array(let a):
            return .array(a.map(stripManagedFields))
        default:
            return value
        }
    }

    private static func replay(_ transcript: Transcript, emulator: KubernetesEmulator, client: CurlHTTPClient) async throws -> Result {
        var matcher = PlaceholderMatcher()
        var outcomes: [StepOutcome] = []
        var watches: [Int: WatchCollector] = [:]
        let keepManagedFields = transcript.scenario == "server-side-apply"
        func normalized(_ v: JSONValue) -> JSONValue { keepManagedFields ? v : stripManagedFields(v) }

        for step in transcript.steps {
            try await ScenarioHooks.before(step: step.index, scenario: transcript.scenario, emulator: emulator) { watchStep in
                guard let w = watches[watchStep] else { return }
                try await w.waitForEnd(timeout: .seconds(15))
            }
            let exemption = Exemptions.reason(scenario: transcript.scenario, step: step.index)
            let path = try matcher.fill(step.request.path)
            var query: [String: String] = [:]
            for (k, v) in step.request.query { query[k] = try matcher.fill(v) }
            var headers: HTTPHeaders = [:]
            var body = HTTPRequestBody.empty
            if let contentType = step.request.headers["Content-Type"] { headers["Content-Type"] = contentType }
            if let b = step.request.body {
                switch b {
                case .string(let text): body = .bytes(Data(try matcher.fill(text).utf8))
                default: body = .bytes(Data(PythonJSON.string(try matcher.fill(b)).utf8))
                }
            }
            let auth = token(step.request.auth, emulator).map { HTTPAuthentication.bearer(StaticBearerToken($0)) }
            let request = HTTPRequest(method: HTTPMethod(rawValue: step.request.method), url: url(emulator.baseURL, path, query),
                                      headers: headers, body: body, auth: auth)
            var differences: [String] = []
            if step.isWatch {
                let response = try await client.stream(request)
                if response.status != step.response.status { differences.append("status: expected \(step.response.status), got \(response.status)") }
                if response.headers["Content-Type"] != step.response.contentType {
                    differences.append("Content-Type: expected \(step.response.contentType ?? "none"), got \(response.headers["Content-Type"] ?? "none")")
                }
                watches[step.index] = WatchCollector(response: response, expected: step.response.stream?.count ?? 0)
                outcomes.append(StepOutcome(index: step.index, exemption: exemption, differences: differences))
                continue
            }
            var response = try await client.execute(request)
            if step.notes?.contains("Polled until") == true {
                for _ in 0..<600 {
                    let established = (try? JSONValue(parsing: response.body))?[path: ["status", "conditions"]]?.arrayValue?
                        .contains { $0["type"] == "Established" && $0["status"] == "True" } ?? false
                    if established { break }
                    try await Task.sleep(for: .milliseconds(25))
                    response = try await client.execute(request)
                }
            }
            if exemption != nil {
                outcomes.append(StepOutcome(index: step.index, exemption: exemption, differences: []))
                continue
            }
            if response.status != step.response.status {
                differences.append("status: expected \(step.response.status), got \(response.status)")
            }
            if response.headers["Content-Type"] != step.response.contentType {
                differences.append("Content-Type: expected \(step.response.contentType ?? "none"), got \(response.headers["Content-Type"] ?? "none")")
            }
            let warnings = response.headers.values(for: "Warning")
            if warnings != step.response.warnings {
                differences.append("Warning headers: expected \(step.response.warnings), got \(warnings)")
            }
            switch step.response.body {
            case .string(let text)?:
                let actual = String(decoding: response.body, as: UTF8.self)
                if actual != text { differences.append("body: expected \(text.debugDescription), got \(actual.debugDescription)") }
            case let expected?:
                let actual = try? JSONValue(parsing: response.body)
                if !matcher.compare(expected, actual.map(normalized)) { differences += matcher.differences }
            case nil:
                break
            }
            outcomes.append(StepOutcome(index: step.index, exemption: nil, differences: differences))
        }

        // Finish and compare the watch streams.
        for (index, collector) in watches.sorted(by: { $0.key < $1.key }) {
            guard let step = transcript.steps.first(where: { $0.index == index }), let expected = step.response.stream else { continue }
            var differences: [String] = []
            let events: [JSONValue]
            if step.response.serverClosed {
                do {
                    try await collector.waitForEnd(timeout: .seconds(15))
                } catch {
                    differences.append("the server did not end the stream")
                }
                events = collector.events
            } else {
                await collector.waitForCount(timeout: .seconds(15))
                events = Array(collector.events.prefix(expected.count))
            }
            collector.cancel()
            if events.count != expected.count {
                differences.append("stream: expected \(expected.count) events, got \(events.count): \(events.map { $0["type"]?.stringValue ?? "?" })")
            }
            for (i, (e, a)) in zip(expected, events).enumerated() where !matcher.compare(e, normalized(a), path: "$.stream[\(i)]") {
                differences += matcher.differences
            }
            if let position = outcomes.firstIndex(where: { $0.index == index }) {
                outcomes[position].differences += differences
            }
        }
        return Result(scenario: transcript.scenario, steps: outcomes, rankProblems: matcher.rankViolations())
    }
}
