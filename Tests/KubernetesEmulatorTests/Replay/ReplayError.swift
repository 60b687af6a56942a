import Foundation
import JSONCore

/// Why a replay could not run.
enum ReplayError: Error, CustomStringConvertible {
    case missingTranscripts
    case unboundPlaceholder(String)
    case watchDidNotFinish(step: Int, received: Int, expected: Int)

    var description: String {
        switch self {
        case .missingTranscripts: "the Conformance resource directory is missing from the test bundle"
        case .unboundPlaceholder(let p): "placeholder \(p) used in a request before any response revealed its value"
        case .watchDidNotFinish(let step, let received, let expected):
            "watch of step \(step) delivered \(received) of \(expected) events in time"
        }
    }
}
