/// What the API core decided for a request: a complete response, or a watch stream to run.
enum APIOutcome: Sendable {
    /// A complete answer.
    case response(APIResponse)
    /// A watch stream to run.
    case watch(WatchPlan)
}
