import Foundation
import Testing

/// A recorded Flink 2.3 response from `Fixtures/`.
enum Fixture {
    /// The directory holding the fixtures in the test bundle.
    static func directory() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures missing from the test bundle")
    }

    /// Every fixture's name (without `.json`).
    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory().path)
            .filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }
            .sorted()
    }

    /// The body of fixture `name`.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory().appendingPathComponent(name + ".json"))
    }
}
