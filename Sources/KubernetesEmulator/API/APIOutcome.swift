/// What the API core decided for a request: a complete response, or a watch stream to run.
enum APIOutcome: Sendable {
    case response(APIResponse)
    case watch(WatchPlan)
}
