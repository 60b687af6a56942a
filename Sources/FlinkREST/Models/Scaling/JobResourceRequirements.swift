/// The parallelism bounds of every vertex of a job, `GET|PUT /jobs/:id/resource-requirements` (adaptive
/// scheduler only).
///
/// A PUT must list every vertex of the job. The adaptive scheduler then runs each vertex with as many subtasks
/// as free slots allow between the bounds, restoring from the latest checkpoint in place (same job id).
public struct JobResourceRequirements: Codable, Hashable, Sendable {
    /// The bounds of one vertex.
    public struct Bounds: Codable, Hashable, Sendable {
        /// The least parallelism the vertex needs to run.
        public var lowerBound: Int
        /// The most parallelism it may use (at most the vertex's max parallelism).
        public var upperBound: Int

        /// Creates bounds.
        public init(lowerBound: Int, upperBound: Int) {
            self.lowerBound = lowerBound
            self.upperBound = upperBound
        }
    }

    /// Bounds per vertex id.
    public var vertices: [String: Bounds]

    /// Creates requirements.
    public init(vertices: [String: Bounds]) {
        self.vertices = vertices
    }

    /// The same vertices, each with the given bounds (a job-wide rescale).
    public func withAllVertices(lowerBound: Int, upperBound: Int) -> JobResourceRequirements {
        JobResourceRequirements(
            vertices: vertices.mapValues { _ in Bounds(lowerBound: lowerBound, upperBound: upperBound) }
        )
    }

    private struct VertexEntry: Codable {
        var parallelism: Bounds
    }

    public init(from decoder: any Decoder) throws {
        vertices = try [String: VertexEntry](from: decoder).mapValues(\.parallelism)
    }

    public func encode(to encoder: any Encoder) throws {
        try vertices.mapValues { VertexEntry(parallelism: $0) }.encode(to: encoder)
    }
}
