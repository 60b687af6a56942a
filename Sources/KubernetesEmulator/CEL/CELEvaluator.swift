import Foundation

/// Evaluates `CELExpression`s with Kubernetes' variables (`self`, `oldSelf`) and the functions CRD rules use.
struct CELEvaluator {
    /// The variables.
    var variables: [String: CELValue]

    func evaluate(_ e: CELExpression) throws(CELError) -> CELValue {
        switch e {
        case .literal(let v):
            return v
        case .identifier(let name):
            guard let v = variables[name] else { throw .evaluation("undeclared reference to '\(name)'") }
            return v
        case .select(let target, let field):
            let t = try evaluate(target)
            guard case .map(let m) = t else { throw .evaluation("no such key: \(field)") }
            guard let v = m[field] else { throw .evaluation("no such key: \(field)") }
            return v
        case .has(let target, let field):
            guard case .map(let m) = try evaluate(target) else { throw .evaluation("invalid type for field selection") }
            return .bool(m[field] != nil)
        case .index(let target, let index):
            let t = try evaluate(target)
            let i = try evaluate(index)
            switch (t, i) {
            case (.list(let l), _):
                guard let n = i.number, n >= 0, n < Double(l.count) else { throw .evaluation("index out of range") }
                return l[Int(n)]
            case (.map(let m), .string(let k)):
                guard let v = m[k] else { throw .evaluation("no such key: \(k)") }
                return v
            default:
                throw .evaluation("no such overload")
            }
        case .unary(let op, let operand):
            let v = try evaluate(operand)
            switch (op, v) {
            case ("!", .bool(let b)): return .bool(!b)
            case ("-", .int(let i)):
                guard i != .min else { throw .evaluation("integer overflow") }
                return .int(-i)
            case ("-", .double(let d)): return .double(-d)
            default: throw .evaluation("no such overload")
            }
        case .binary(let op, let l, let r):
            return try binary(op, l, r)
        case .conditional(let c, let a, let b):
            guard case .bool(let cond) = try evaluate(c) else { throw .evaluation("no such overload") }
            return try evaluate(cond ? a : b)
        case .list(let items):
            var out: [CELValue] = []
            for item in items { out.append(try evaluate(item)) }
            return .list(out)
        case .map(let entries):
            var out: [String: CELValue] = [:]
            for (k, v) in entries {
                guard case .string(let key) = try evaluate(k) else { throw .evaluation("unsupported map key") }
                out[key] = try evaluate(v)
            }
            return .map(out)
        case .macro(let name, let target, let variable, let args):
            return try macro(name, target, variable, args[0])
        case .call(let name, let target, let args):
            var values: [CELValue] = []
            for a in args { values.append(try evaluate(a)) }
            return try call(name, target: try target.map { t throws(CELError) in try evaluate(t) }, values)
        }
    }

    private func binary(_ op: String, _ l: CELExpression, _ r: CELExpression) throws(CELError) -> CELValue {
        if op == "&&" || op == "||" {
            // CEL's logical operators are commutative over errors: a decisive side wins.
            let decisive = op == "||"
            var leftError: CELError?
            var left: Bool?
            do throws(CELError) {
                guard case .bool(let b) = try evaluate(l) else { throw .evaluation("no such overload") }
                left = b
            } catch { leftError = error }
            if left == decisive { return .bool(decisive) }
            let rightValue = try evaluate(r)
            guard case .bool(let right) = rightValue else { throw .evaluation("no such overload") }
            if right == decisive { return .bool(decisive) }
            if let leftError { throw leftError }
            return .bool(!decisive)
        }
        let a = try evaluate(l)
        let b = try evaluate(r)
        switch op {
        case "==": return .bool(a.celEquals(b))
        case "!=": return .bool(!a.celEquals(b))
        case "in":
            switch b {
            case .list(let items): return .bool(items.contains { $0.celEquals(a) })
            case .map(let m):
                guard case .string(let k) = a else { return .bool(false) }
                return .bool(m[k] != nil)
            default: throw .evaluation("no such overload")
            }
        case "<", "<=", ">", ">=":
            let ordering: Int
            switch (a, b) {
            case (.string(let x), .string(let y)): ordering = x < y ? -1 : (x == y ? 0 : 1)
            case (.duration(let x), .duration(let y)), (.timestamp(let x), .timestamp(let y)):
                ordering = x < y ? -1 : (x == y ? 0 : 1)
            default:
                guard let x = a.number, let y = b.number else { throw .evaluation("no such overload") }
                ordering = x < y ? -1 : (x == y ? 0 : 1)
            }
            switch op {
            case "<": return .bool(ordering < 0)
            case "<=": return .bool(ordering <= 0)
            case ">": return .bool(ordering > 0)
            default: return .bool(ordering >= 0)
            }
        case "+":
            switch (a, b) {
            case (.int(let x), .int(let y)): return .int(x &+ y)
            case (.string(let x), .string(let y)): return .string(x + y)
            case (.list(let x), .list(let y)): return .list(x + y)
            case (.duration(let x), .duration(let y)): return .duration(x + y)
            default:
                guard let x = a.number, let y = b.number else { throw .evaluation("no such overload") }
                return .double(x + y)
            }
        case "-", "*", "/", "%":
            if case .int(let x) = a, case .int(let y) = b {
                switch op {
                case "-": return .int(x &- y)
                case "*": return .int(x &* y)
                case "/":
                    guard y != 0 else { throw .evaluation("division by zero") }
                    let (q, overflow) = x.dividedReportingOverflow(by: y)
                    guard !overflow else { throw .evaluation("integer overflow") }
                    return .int(q)
                default:
                    guard y != 0 else { throw .evaluation("modulus by zero") }
                    let (r, overflow) = x.remainderReportingOverflow(dividingBy: y)
                    guard !overflow else { throw .evaluation("integer overflow") }
                    return .int(r)
                }
            }
            guard let x = a.number, let y = b.number, op != "%" else { throw .evaluation("no such overload") }
            switch op {
            case "-": return .double(x - y)
            case "*": return .double(x * y)
            default: return .double(x / y)
            }
        default:
            throw .evaluation("unsupported operator \(op)")
        }
    }

    private func macro(_ name: String, _ target: CELExpression, _ variable: String, _ body: CELExpression) throws(CELError) -> CELValue {
        let range: [CELValue]
        switch try evaluate(target) {
        case .list(let items): range = items
        case .map(let m): range = m.keys.sorted().map { .string($0) }
        default: throw .evaluation("no such overload")
        }
        func run(_ item: CELValue) throws(CELError) -> CELValue {
            var inner = self
            inner.variables[variable] = item
            return try inner.evaluate(body)
        }
        switch name {
        case "all", "exists", "exists_one", "filter":
            var results: [Bool] = []
            var kept: [CELValue] = []
            for item in range {
                guard case .bool(let b) = try run(item) else { throw .evaluation("no such overload") }
                results.append(b)
                if b { kept.append(item) }
            }
            switch name {
            case "all": return .bool(results.allSatisfy { $0 })
            case "exists": return .bool(results.contains(true))
            case "exists_one": return .bool(results.filter { $0 }.count == 1)
            default: return .list(kept)
            }
        default:
            var out: [CELValue] = []
            for item in range { out.append(try run(item)) }
            return .list(out)
        }
    }

    private func call(_ name: String, target: CELValue?, _ args: [CELValue]) throws(CELError) -> CELValue {
        switch (name, target, args.first) {
        case ("size", .some(let t), nil), ("size", nil, .some(let t)):
            switch t {
            case .string(let s): return .int(Int64(s.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            default: throw .evaluation("no such overload")
            }
        case ("startsWith", .string(let s), .string(let p)?): return .bool(s.hasPrefix(p))
        case ("endsWith", .string(let s), .string(let p)?): return .bool(s.hasSuffix(p))
        case ("contains", .string(let s), .string(let p)?): return .bool(p.isEmpty || s.contains(p))
        case ("matches", .string(let s), .string(let p)?):
            return try Self.match(s, p)
        case ("matches", nil, .string(let s)?) where args.count == 2:
            guard case .string(let p) = args[1] else { throw .evaluation("no such overload") }
            return try Self.match(s, p)
        case ("split", .string(let s), .string(let sep)?):
            return .list(s.components(separatedBy: sep).map { .string($0) })
        case ("lowerAscii", .string(let s), nil): return .string(s.lowercased())
        case ("upperAscii", .string(let s), nil): return .string(s.uppercased())
        case ("trim", .string(let s), nil): return .string(s.trimmingCharacters(in: .whitespaces))
        case ("int", nil, .some(let v)):
            switch v {
            case .int: return v
            case .double(let d):
                guard d.isFinite, d > -9.2e18, d < 9.2e18 else { throw .evaluation("double out of int range") }
                return .int(Int64(d))
            case .string(let s): guard let i = Int64(s) else { throw .evaluation("cannot convert to int") }; return .int(i)
            case .uint(let u):
                guard u <= UInt64(Int64.max) else { throw .evaluation("uint out of int range") }
                return .int(Int64(u))
            default: throw .evaluation("no such overload")
            }
        case ("double", nil, .some(let v)):
            guard let d = v.number ?? (v == .null ? nil : { if case .string(let s) = v { return Double(s) } else { return nil } }()) else {
                throw .evaluation("no such overload")
            }
            return .double(d)
        case ("string", nil, .some(let v)):
            switch v {
            case .string: return v
            case .int(let i): return .string(String(i))
            case .uint(let u): return .string(String(u))
            case .double(let d): return .string(GoJSONWriter.formatDouble(d))
            case .bool(let b): return .string(b ? "true" : "false")
            default: throw .evaluation("no such overload")
            }
        case ("duration", nil, .string(let s)?):
            guard let seconds = Self.goDuration(s) else { throw .evaluation("invalid duration") }
            return .duration(seconds)
        case ("timestamp", nil, .string(let s)?):
            guard case .success(let instant) = GoTime.parse(s, layout: .rfc3339) else { throw .evaluation("invalid timestamp") }
            return .timestamp(Double(instant.seconds) + Double(instant.nanoseconds) / 1e9)
        default:
            throw .evaluation("found no matching overload for '\(name)'")
        }
    }

    private static func match(_ s: String, _ pattern: String) throws(CELError) -> CELValue {
        guard (try? NSRegularExpression(pattern: pattern)) != nil else { throw .evaluation("invalid regular expression") }
        return .bool(PatternCache.matches(pattern, s))
    }

    /// Parses a Go duration (`1h30m`, `250ms`, `-1.5s`) into seconds.
    static func goDuration(_ text: String) -> Double? {
        var s = Substring(text)
        var sign = 1.0
        if s.first == "-" || s.first == "+" { sign = s.first == "-" ? -1 : 1; s = s.dropFirst() }
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            s = s.dropFirst(number.count)
            guard let unit = units.first(where: { s.hasPrefix($0.0) && !(($0.0 == "m") && s.hasPrefix("ms")) }) else { return nil }
            s = s.dropFirst(unit.0.count)
            total += value * unit.1
        }
        return sign * total
    }
}
