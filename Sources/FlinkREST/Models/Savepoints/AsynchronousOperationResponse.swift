/// The raw bodies of Flink's asynchronous operations (savepoint, stop, disposal).
enum AsynchronousOperationResponse {
    /// `{"request-id": …}`, the answer to a trigger.
    struct Trigger: Codable {
        var requestID: FlinkTriggerID

        enum CodingKeys: String, CodingKey {
            case requestID = "request-id"
        }
    }

    /// `{"status": {"id": "IN_PROGRESS" | "COMPLETED"}, "operation": {"location"?, "failure-cause"?} | null}`.
    struct Status: Decodable {
        struct State: Decodable { var id: String }
        struct Operation: Decodable {
            var location: String?
            var failureCause: FlinkFailureCause?

            enum CodingKeys: String, CodingKey {
                case location
                case failureCause = "failure-cause"
            }
        }

        var status: State
        var operation: Operation?
    }
}
