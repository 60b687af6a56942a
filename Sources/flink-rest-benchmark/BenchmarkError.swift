/// Why the benchmark stopped; each case names the failing step.
enum BenchmarkError: Error, CustomStringConvertible {
    /// Bad command line; `nil` when help was asked for.
    case usage(String?)
    /// The job to query is unusable.
    case job(String)
    /// A curl run failed.
    case curl(String)

    var description: String {
        switch self {
        case .usage(let message): (message.map { "error: \($0)\n" } ?? "") + BenchmarkOptions.usage
        case .job(let message): "job: \(message)"
        case .curl(let message): "curl: \(message)"
        }
    }
}
