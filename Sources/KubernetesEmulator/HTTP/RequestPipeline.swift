import Foundation
import JSONCore
import Synchronization

/// What happens to every request before and after the API core: fault injection, latency, authentication,
/// and the request log. Independent of the HTTP server.
final class RequestPipeline: Sendable {
    /// A request as received from the wire.
    struct Incoming: Sendable {
        /// The method.
        var method: String
        /// The path.
        var path: String
        /// The raw query.
        var rawQuery: String
        /// The authorization.
        var authorization: String?
        /// The content type.
        var contentType: String?
        /// The user agent.
        var userAgent: String?
        /// The `Accept` header.
        var accept: String? = nil
        /// The body.
        var body: Data
    }

    private struct State {
        /// The users.
        var users: [String: EmulatorUser] = [:]
        /// The faults.
        var faults: [FaultRule] = []
        /// The latencies.
        var latencies: [LatencyRule] = []
        /// The log.
        var log: [RequestLogEntry] = []
    }

    /// The api.
    let api: APIServer
    private let state = Mutex(State())
    /// The clock.
    let clock: @Sendable () -> Date

    init(api: APIServer, clock: @escaping @Sendable () -> Date) {
        self.api = api
        self.clock = clock
    }

    func addUser(_ user: EmulatorUser) { state.withLock { $0.users[user.token] = user } }
    func removeUser(token: String) { _ = state.withLock { $0.users.removeValue(forKey: token) } }
    func addFault(_ rule: FaultRule) { state.withLock { $0.faults.append(rule) } }
    func addLatency(_ rule: LatencyRule) { state.withLock { $0.latencies.append(rule) } }
    func clearFaults() { state.withLock { $0.faults.removeAll(); $0.latencies.removeAll() } }
    /// The log.
    var log: [RequestLogEntry] { state.withLock { $0.log } }
    func clearLog() { state.withLock { $0.log.removeAll() } }

    /// Percent-decodes a query string into first-value-wins parameters (Go's `url.ParseQuery`).
    static func parseQuery(_ raw: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if out[key] == nil { out[key] = value }
        }
        return out
    }

    private func takeFault(method: String, path: String, isWatch: Bool) -> (FaultRule?, Duration?) {
        state.withLock { s in
            var delay: Duration?
            if let i = s.latencies.firstIndex(where: { $0.matcher.matches(method: method, path: path, isWatch: isWatch) }) {
                delay = s.latencies[i].delay
                if let c = s.latencies[i].count {
                    if c <= 1 { s.latencies.remove(at: i) } else { s.latencies[i].count = c - 1 }
                }
            }
            guard let i = s.faults.firstIndex(where: { $0.matcher.matches(method: method, path: path, isWatch: isWatch) }) else {
                return (nil, delay)
            }
            let rule = s.faults[i]
            if let c = rule.count {
                if c <= 1 { s.faults.remove(at: i) } else { s.faults[i].count = c - 1 }
            }
            return (rule, delay)
        }
    }

    static func injectedError(_ rule: FaultRule) -> APIError {
        let (reason, text): (String, String) = switch rule.status {
        case 400: ("BadRequest", "the server rejected our request for an unknown reason")
        case 401: ("Unauthorized", "Unauthorized")
        case 403: ("Forbidden", "forbidden")
        case 404: ("NotFound", "the server could not find the requested resource")
        case 409: ("Conflict", "the server reported a conflict")
        case 410: ("Expired", "the resource version is too old")
        case 429: ("TooManyRequests", "Too many requests, please try again later.")
        case 500: ("InternalError", "Internal error occurred: injected fault")
        case 503: ("ServiceUnavailable", "the server is currently unable to handle the request")
        case 504: ("Timeout", "the server was unable to return a response in the time allotted")
        default: ("", "injected fault")
        }
        var error = APIError(code: rule.status, reason: reason, message: rule.message ?? text,
                             details: rule.retryAfterSeconds.map { APIError.details(retryAfterSeconds: $0) })
        if let r = rule.retryAfterSeconds { error.headers = [("Retry-After", String(r))] }
        return error
    }

    /// Runs a request through faults, authentication and the API core.
    func process(_ incoming: Incoming) async -> APIOutcome {
        let query = Self.parseQuery(incoming.rawQuery)
        let isWatch = APIServer.parseBool(query["watch"]) == true || incoming.path.contains("/watch/")
        let (fault, delay) = takeFault(method: incoming.method, path: incoming.path, isWatch: isWatch)
        if let delay { try? await Task.sleep(for: delay) }
        var user = UserInfo.anonymous
        var outcome: APIOutcome
        if let fault {
            outcome = .response(api.render(Self.injectedError(fault)))
        } else {
            var authenticated = true
            if let header = incoming.authorization, header.lowercased().hasPrefix("bearer ") {
                let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
                if !token.isEmpty {
                    if let known = state.withLock({ $0.users[token] }) {
                        user = UserInfo(name: known.name, groups: known.groups + ["system:authenticated"], rules: known.rules)
                    } else {
                        authenticated = false
                    }
                }
            }
            if !authenticated {
                user = UserInfo(name: "", groups: [], rules: [])
                outcome = .response(api.render(.unauthorized))
            } else if incoming.body.count > api.settings.maxRequestBodyBytes {
                outcome = .response(api.render(.requestEntityTooLarge(limit: api.settings.maxRequestBodyBytes)))
            } else {
                let request = APIRequest(method: incoming.method, path: incoming.path, query: query, rawQuery: incoming.rawQuery,
                                         contentType: incoming.contentType, userAgent: incoming.userAgent, accept: incoming.accept,
                                         body: incoming.body, user: user)
                outcome = api.handle(request)
            }
        }
        let status: Int = switch outcome {
        case .response(let r): r.status
        case .watch: 200
        }
        var verb = ""
        if case .resource(let p) = RequestPath(incoming.path) {
            verb = APIServer.verb(method: incoming.method, path: p, query: query)
        }
        let entry = RequestLogEntry(method: incoming.method, path: incoming.path, query: query, user: user.name, status: status,
                                    verb: verb, time: clock())
        state.withLock { $0.log.append(entry) }
        return outcome
    }
}
