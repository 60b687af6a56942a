import Logging
import Prometheus
import Synchronization

/// Renders `/metrics`: refreshes the process metrics, emits the registry and puts the text in a stable order.
///
/// swift-prometheus emits families and label sets in dictionary order, which changes from process to process;
/// this sorts families by name and the series of a family by their labels (a histogram's bucket, sum and count
/// lines stay together and in order), and adds a `# HELP` line to families that have none, from `helpTexts`
/// (or a generic text). The output is the Prometheus text format 0.0.4 (`contentType`).
///
/// Scrapes are serialized: the process metrics are refreshed and the registry emitted under one lock, so two
/// concurrent scrapes never see a half-updated CPU counter.
public final class MetricsExposition: Sendable {
    /// The `Content-Type` of the Prometheus text exposition format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The registry every metric is recorded in.
    public let registry: PrometheusCollectorRegistry
    /// The process metrics refreshed on each render, if any.
    public let processMetrics: ProcessMetrics?
    private let helpTexts: [String: String]
    private let logger: Logger
    private let scrape = Mutex(())

    /// Makes a renderer for `registry`; `processMetrics` (registered on the same registry) is refreshed first.
    public init(
        registry: PrometheusCollectorRegistry,
        processMetrics: ProcessMetrics?,
        helpTexts: [String: String] = MetricsBootstrap.helpTexts,
        logger: Logger
    ) {
        self.registry = registry
        self.processMetrics = processMetrics
        self.helpTexts = helpTexts
        self.logger = logger
    }

    /// The current exposition text as UTF-8 bytes.
    ///
    /// A failure to read `/proc` is logged (at debug: it repeats on every scrape) and the last values are served.
    public func render() -> [UInt8] {
        let raw = scrape.withLock { _ in
            if let processMetrics {
                do {
                    try processMetrics.update()
                } catch {
                    logger.debug("Could not refresh process metrics", metadata: ["error": "\(error)"])
                }
            }
            return registry.emitToBuffer()
        }
        return Self.normalize(raw, helpTexts: helpTexts)
    }

    /// Sorts families and series of an exposition text and adds missing `# HELP` lines.
    ///
    /// Pure and total: any byte string gives an output; lines it does not understand are kept in their family.
    static func normalize(_ text: [UInt8], helpTexts: [String: String]) -> [UInt8] {
        var families: [Family] = []
        var current: Family?
        // For histograms and summaries, the lines of one series (buckets/quantiles, _sum, _count) in progress.
        var openGroup: [ArraySlice<UInt8>] = []

        func closeGroup() {
            if !openGroup.isEmpty { current?.groups.append(openGroup) }
            openGroup = []
        }
        func closeFamily() {
            closeGroup()
            if let family = current { families.append(family) }
            current = nil
        }

        for line in text.split(separator: newline, omittingEmptySubsequences: true) {
            if let (kind, name, rest) = Self.metadata(line) {
                if current?.name != name || current?.groups.isEmpty == false || !openGroup.isEmpty {
                    closeFamily()
                    current = Family(name: name)
                }
                switch kind {
                case .help: current?.help = line
                case .type:
                    current?.typeLine = line
                    current?.type = String(decoding: rest, as: UTF8.self)
                }
            } else if line.first == UInt8(ascii: "#") {
                // Other comments belong to no series; they are dropped like Prometheus' own parser does.
                continue
            } else {
                let name = Self.sampleName(line)
                if current == nil || !(current?.owns(sample: name) ?? false) {
                    closeFamily()
                    current = Family(name: name)
                }
                if current?.isGrouped == true {
                    openGroup.append(line)
                    if let family = current?.name, name == family + "_count" { closeGroup() }
                } else {
                    current?.groups.append([line])
                }
            }
        }
        closeFamily()

        var output: [UInt8] = []
        output.reserveCapacity(text.count + families.count * 64)
        // A stable sort keeps a (never expected) repeated family name in emission order.
        let sortedFamilies = families.enumerated().sorted { lhs, rhs in
            lhs.element.name != rhs.element.name ? lhs.element.name < rhs.element.name : lhs.offset < rhs.offset
        }.map(\.element)
        for family in sortedFamilies {
            if let help = family.help {
                output.append(contentsOf: help)
            } else {
                let text = helpTexts[family.name] ?? "Metric \(family.name) (no description registered)."
                output.append(contentsOf: "# HELP \(family.name) ".utf8)
                output.append(contentsOf: Self.escapedHelp(text))
            }
            output.append(newline)
            if let typeLine = family.typeLine {
                output.append(contentsOf: typeLine)
                output.append(newline)
            }
            let sortedGroups = family.groups.enumerated().sorted { lhs, rhs in
                let l = Self.seriesKey(lhs.element[0])
                let r = Self.seriesKey(rhs.element[0])
                return l.elementsEqual(r) ? lhs.offset < rhs.offset : l.lexicographicallyPrecedes(r)
            }.map(\.element)
            for group in sortedGroups {
                for line in group {
                    output.append(contentsOf: line)
                    output.append(newline)
                }
            }
        }
        return output
    }

    private static let newline = UInt8(ascii: "\n")

    private enum MetadataKind { case help, type }

    /// One metric family: its metadata lines and its series (each a group of sample lines).
    private struct Family {
        var name: String
        var help: ArraySlice<UInt8>?
        var typeLine: ArraySlice<UInt8>?
        var type: String?
        var groups: [[ArraySlice<UInt8>]] = []

        /// Whether a series spans several lines ending with `<name>_count`.
        var isGrouped: Bool { type == "histogram" || type == "summary" }

        /// Whether a sample named `sample` belongs to this family.
        func owns(sample: String) -> Bool {
            if sample == name { return true }
            guard isGrouped, sample.hasPrefix(name) else { return false }
            let suffix = sample.dropFirst(name.count)
            return suffix == "_bucket" || suffix == "_sum" || suffix == "_count"
        }
    }

    /// `# HELP name text` / `# TYPE name type` → (kind, name, text after the name).
    private static func metadata(_ line: ArraySlice<UInt8>) -> (MetadataKind, String, ArraySlice<UInt8>)? {
        let kind: MetadataKind
        if line.starts(with: "# HELP ".utf8) {
            kind = .help
        } else if line.starts(with: "# TYPE ".utf8) {
            kind = .type
        } else {
            return nil
        }
        let afterPrefix = line.dropFirst(7)
        let nameEnd = afterPrefix.firstIndex(of: UInt8(ascii: " ")) ?? afterPrefix.endIndex
        let name = String(decoding: afterPrefix[..<nameEnd], as: UTF8.self)
        let rest = nameEnd < afterPrefix.endIndex ? afterPrefix[(nameEnd + 1)...] : afterPrefix[nameEnd...]
        return (kind, name, rest)
    }

    /// The metric name of a sample line: everything before `{` or the first space.
    private static func sampleName(_ line: ArraySlice<UInt8>) -> String {
        let end = line.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: " ") }) ?? line.endIndex
        return String(decoding: line[..<end], as: UTF8.self)
    }

    /// What orders series: the first line without its value (the series name and labels).
    private static func seriesKey(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let lastSpace = line.lastIndex(of: UInt8(ascii: " ")) else { return line }
        return line[..<lastSpace]
    }

    /// Escapes a help text as the text format requires (`\` → `\\`, line feed → `\n`).
    private static func escapedHelp(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case newline: bytes.append(contentsOf: #"\n"#.utf8)
            default: bytes.append(byte)
            }
        }
        return bytes
    }
}
