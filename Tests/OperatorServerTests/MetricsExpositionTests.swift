import Logging
import Metrics
import Prometheus
import Testing

@testable import OperatorServer

@Suite("MetricsExposition")
struct MetricsExpositionTests {
    private func render(_ registry: PrometheusCollectorRegistry, helpTexts: [String: String]) -> String {
        let exposition = MetricsExposition(
            registry: registry, processMetrics: nil, helpTexts: helpTexts, logger: TestServer.quietLogger)
        return String(decoding: exposition.render(), as: UTF8.self)
    }

    @Test("swift-metrics counters, gauges and timers render as the exact expected text")
    func exactExposition() {
        let registry = PrometheusCollectorRegistry()
        SampleMetrics.record(into: registry)
        #expect(render(registry, helpTexts: SampleMetrics.helpTexts) == SampleMetrics.expectedText)
    }

    @Test("families are sorted by name and series by labels, histogram lines stay together")
    func normalizeSortsFamiliesAndSeries() {
        let input = """
            # TYPE b_total counter
            b_total{x="2"} 2
            b_total{x="1"} 1
            # HELP a_seconds Latency.
            # TYPE a_seconds histogram
            a_seconds_bucket{x="2",le="1.0"} 1
            a_seconds_bucket{x="2",le="+Inf"} 1
            a_seconds_sum{x="2"} 0.5
            a_seconds_count{x="2"} 1
            a_seconds_bucket{x="1",le="1.0"} 0
            a_seconds_bucket{x="1",le="+Inf"} 0
            a_seconds_sum{x="1"} 0.0
            a_seconds_count{x="1"} 0
            # TYPE c gauge
            c 1.0

            """
        let output = MetricsExposition.normalize(Array(input.utf8), helpTexts: ["b_total": #"Bees \ and "more"."#])
        #expect(
            String(decoding: output, as: UTF8.self) == """
                # HELP a_seconds Latency.
                # TYPE a_seconds histogram
                a_seconds_bucket{x="1",le="1.0"} 0
                a_seconds_bucket{x="1",le="+Inf"} 0
                a_seconds_sum{x="1"} 0.0
                a_seconds_count{x="1"} 0
                a_seconds_bucket{x="2",le="1.0"} 1
                a_seconds_bucket{x="2",le="+Inf"} 1
                a_seconds_sum{x="2"} 0.5
                a_seconds_count{x="2"} 1
                # HELP b_total Bees \\\\ and "more".
                # TYPE b_total counter
                b_total{x="1"} 1
                b_total{x="2"} 2
                # HELP c Metric c (no description registered).
                # TYPE c gauge
                c 1.0

                """)
    }

    @Test("normalizing is total: unexpected text neither crashes nor loses sample lines")
    func normalizeIsTotal() {
        let inputs: [String] = [
            "", "\n\n", "# HELP\n", "# TYPE x\n", "x\n", "# random comment\nx 1\n", "x_count 1\nx_sum 2\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n# TYPE h histogram\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nother 3\n", "{} 1\n \n",
        ]
        for input in inputs {
            let output = String(decoding: MetricsExposition.normalize(Array(input.utf8), helpTexts: [:]), as: UTF8.self)
            let samples = input.split(separator: "\n").filter { !$0.hasPrefix("#") }
            for sample in samples {
                #expect(output.contains(sample + "\n"), "\(sample) missing from \(output)")
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let alphabet: [UInt8] = Array("# \n{a_T}\"=".utf8) + [0xFF]
            let bytes: [UInt8] = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? 0
            }
            _ = MetricsExposition.normalize(bytes, helpTexts: [:])
        }
    }

    @Test("every metric of the operator contract has a help text")
    func contractMetricsHaveHelp() {
        let contract = [
            "flink_job_deployments_total", "flink_job_deployment_duration_seconds", "flink_active_jobs",
            "flink_reconciliation_errors_total", "flink_cluster_health_status", "flink_job_ready",
            "flink_job_checkpoint_age_seconds", "flink_job_backpressure_ratio", "flink_job_restarts",
            "flink_cluster_circuit_breaker_state", "controller_runtime_reconcile_total",
            "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds",
            "controller_runtime_active_workers", "workqueue_depth", "workqueue_adds_total",
            "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds", "workqueue_retries_total",
            "leader_election_master_status", "kubernetes_client_requests_total",
            "kubernetes_client_request_duration_seconds", "flink_client_requests_total",
            "flink_client_request_duration_seconds", "process_resident_memory_bytes", "process_cpu_seconds_total",
            "process_start_time_seconds",
        ]
        for name in contract {
            #expect(MetricsBootstrap.helpTexts[name]?.isEmpty == false, "\(name) has no help text")
        }
    }

    @Test("duration histograms use the contract's bucket ranges")
    func bucketRanges() {
        #expect(MetricsBootstrap.deploymentDurationBuckets.first == .milliseconds(100))
        #expect(MetricsBootstrap.deploymentDurationBuckets.last == .seconds(300))
        #expect(MetricsBootstrap.requestDurationBuckets.first == .milliseconds(1))
        #expect(MetricsBootstrap.requestDurationBuckets.last == .seconds(30))
        for buckets in [MetricsBootstrap.deploymentDurationBuckets, MetricsBootstrap.requestDurationBuckets] {
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 })
        }
        for name in ["controller_runtime_reconcile_time_seconds", "workqueue_queue_duration_seconds",
                     "workqueue_work_duration_seconds", "kubernetes_client_request_duration_seconds",
                     "flink_client_request_duration_seconds"] {
            #expect(MetricsBootstrap.durationBucketsByMetric[name] == MetricsBootstrap.requestDurationBuckets)
        }
        #expect(
            MetricsBootstrap.durationBucketsByMetric["flink_job_deployment_duration_seconds"]
                == MetricsBootstrap.deploymentDurationBuckets)
    }

    @Test("an unlisted timer gets the request buckets and a listed recorder gets its buckets in seconds")
    func factoryBucketChoice() {
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsBootstrap.makeFactory(registry: registry)
        Timer(label: "some_other_duration_seconds", factory: factory).recordMilliseconds(20)
        Recorder(label: "flink_client_request_duration_seconds", dimensions: [("method", "GET")], factory: factory)
            .record(0.2)
        let text = render(registry, helpTexts: [:])
        let otherBuckets = text.split(separator: "\n").filter { $0.hasPrefix("some_other_duration_seconds_bucket") }
        #expect(otherBuckets.count == MetricsBootstrap.requestDurationBuckets.count + 1)
        #expect(text.contains(#"some_other_duration_seconds_bucket{le="0.01"} 0"#))
        #expect(text.contains(#"some_other_duration_seconds_bucket{le="0.025"} 1"#))
        #expect(text.contains(#"flink_client_request_duration_seconds_bucket{method="GET",le="0.1"} 0"#))
        #expect(text.contains(#"flink_client_request_duration_seconds_bucket{method="GET",le="0.25"} 1"#))
        #expect(text.contains(#"flink_client_request_duration_seconds_bucket{method="GET",le="30.0"} 1"#))
    }
}
