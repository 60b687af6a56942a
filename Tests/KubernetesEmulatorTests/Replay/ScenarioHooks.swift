import Foundation
import JSONCore
import KubernetesEmulator

/// Actions the recordings imply but do not list as steps, replayed at the same positions.
///
/// * `watch-too-old`: the server's etcd compaction (every minute on the recording server) happened between
///   steps 6 and 7; here `compact(keepingWatchCache: true)` does it on demand (the watch cache outlives etcd
///   compaction, as step 10 shows). Step 10's stream also reveals 20 annotation writes (`n: 0…19`) to `old-1`
///   made between steps 4 and 5 that the recording does not list; they are made in-process at that point.
/// * `watch-bookmarks`: step 6 (DELETE) was made after the step-4 watch had ended (its stream has no DELETED
///   event), so the replay waits for that stream's end first.
enum ScenarioHooks {
    /// Runs before `step` of `scenario`; `awaitWatch` waits until the watch opened at a step has ended.
    static func before(step: Int, scenario: String, emulator: KubernetesEmulator,
                       awaitWatch: (Int) async throws -> Void) async throws {
        switch (scenario, step) {
        case ("watch-too-old", 5):
            for n in 0..<20 {
                let response = emulator.perform(
                    "PATCH", "/apis/flink.jobcontroller.io/v1alpha1/namespaces/team-a/flinkjobs/old-1",
                    body: ["metadata": ["annotations": ["n": .string(String(n))]]], contentType: "application/merge-patch+json")
                guard response.status == 200 else {
                    throw EmulatorError.requestFailed(status: response.status, message: response.message)
                }
            }
        case ("watch-too-old", 7):
            emulator.compact(keepingWatchCache: true)
        case ("watch-bookmarks", 6):
            try await awaitWatch(4)
        default:
            break
        }
    }
}
