/// Command-line options of `flink-rest-benchmark`.
///
/// Parsed by hand: four flags do not justify adding swift-argument-parser to the package for one tool.
struct BenchmarkOptions {
    /// Calls per client and round.
    var callsPerRound = 50
    /// Rounds; each runs the client's calls, then curl's, so both see the same conditions.
    var rounds = 10
    /// An existing cluster to use instead of starting the `bench` instance.
    var url: String?
    /// An existing running job to query instead of submitting one (requires `url`).
    var jobID: String?

    /// The help text.
    static let usage = """
        usage: flink-rest-benchmark [--calls-per-round N] [--rounds R] [--url REST_URL [--job JOB_ID]]
          Measures GET /jobs/:id/status: FlinkRESTClient (keep-alive) vs the curl CLI (one process per call).
          Without --url it starts its own Flink instance 'bench' (scripts/flink-session.sh) with a streaming
          test job, and stops both at the end.
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(BenchmarkError) {
        var remaining = arguments[...]
        func value(_ flag: String) throws(BenchmarkError) -> String {
            guard let value = remaining.popFirst() else { throw .usage("\(flag) needs a value") }
            return value
        }
        func positive(_ flag: String) throws(BenchmarkError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw .usage("\(flag) needs a positive number, got \(text)") }
            return number
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--calls-per-round": callsPerRound = try positive(flag)
            case "--rounds": rounds = try positive(flag)
            case "--url": url = try value(flag)
            case "--job": jobID = try value(flag)
            case "-h", "--help": throw .usage(nil)
            default: throw .usage("unknown argument \(flag)")
            }
        }
        if jobID != nil && url == nil { throw .usage("--job needs --url") }
    }
}
