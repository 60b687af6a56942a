import Foundation

/// Percentiles of a set of latencies.
struct LatencySummary {
    /// The sorted latencies in milliseconds.
    let milliseconds: [Double]

    /// Summarises `durations`.
    init(_ durations: [Duration]) {
        milliseconds = durations.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }
            .sorted()
    }

    /// The value below which `fraction` of the samples lie (nearest rank).
    func percentile(_ fraction: Double) -> Double {
        guard !milliseconds.isEmpty else { return .nan }
        let rank = Int((fraction * Double(milliseconds.count)).rounded(.up)) - 1
        return milliseconds[min(max(rank, 0), milliseconds.count - 1)]
    }

    /// The arithmetic mean.
    var mean: Double {
        milliseconds.isEmpty ? .nan : milliseconds.reduce(0, +) / Double(milliseconds.count)
    }

    /// One table row: name, count, p50, p90, p99, mean, max.
    func row(_ name: String) -> String {
        let cells = [percentile(0.5), percentile(0.9), percentile(0.99), mean, milliseconds.last ?? .nan]
            .map { String(format: "%9.3f", $0) }
        return name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%6d", milliseconds.count)
            + cells.joined()
    }

    /// The table header matching `row`.
    static let header = "client".padding(toLength: 30, withPad: " ", startingAt: 0) + " calls"
        + ["p50 ms", "p90 ms", "p99 ms", "mean ms", "max ms"].map { $0.leftPadded(to: 9) }.joined()
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
