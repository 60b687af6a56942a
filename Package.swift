// swift-tools-version:6.2
//
// Flink Job Controller: a Kubernetes operator for Apache Flink session jobs.
// Layering (dependencies point downward), see README "Architecture":
//   flink-job-controller → OperatorServer → FlinkJobOperator → ControllerRuntime → FlinkREST / Kubernetes
//   → HTTPTransport → CCurl;  JSONCore is shared by the Kubernetes client and the test emulator.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "flink-job-controller",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flink-job-controller", targets: ["flink-job-controller"]),
        .library(name: "HTTPTransport", targets: ["HTTPTransport"]),
        .library(name: "Kubernetes", targets: ["Kubernetes"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: [.defaults, "YAML", "Reloading"]),
        // Local mode's state database (SQLite from the system: Debian libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // SHA-256 and signature verification (already built for swift-certificates, so no extra build time).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // MARK: C shims

        /// libcurl from the system (Debian: libcurl4-openssl-dev), with typed non-variadic wrappers.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        /// Test-only certificate authority built on the system's libcrypto (Debian: libssl-dev).
        .target(
            name: "CTestCertificates",
            linkerSettings: [.linkedLibrary("crypto")]
        ),

        // MARK: Libraries

        .target(
            name: "JSONCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HTTPTransport",
            dependencies: [
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Kubernetes",
            dependencies: [
                "HTTPTransport",
                "JSONCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "FlinkREST",
            dependencies: [
                "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ControllerRuntime",
            dependencies: [
                "JSONCore",
                "Kubernetes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FlinkJobOperator",
            dependencies: [
                "ControllerRuntime",
                "FlinkREST",
                "HTTPTransport",
                "JSONCore",
                "Kubernetes",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The operator's own HTTP endpoints: /metrics (Prometheus), health probes, process metrics.
        .target(
            name: "OperatorServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        /// Local mode: the operator on a directory of manifests (inotify), state in SQLite (GRDB) instead of Kubernetes.
        .target(
            name: "LocalMode",
            dependencies: [
                "ControllerRuntime",
                "FlinkJobOperator",
                "JSONCore",
                "Kubernetes",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Executable

        /// The operator: CLI, configuration, logging and metrics bootstrap, ServiceGroup.
        .executableTarget(
            name: "flink-job-controller",
            dependencies: [
                "ControllerRuntime",
                "FlinkJobOperator",
                "JSONCore",
                "Kubernetes",
                "LocalMode",
                "OperatorServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support (libraries used by tests of every layer)

        /// Per-run CA, server and client certificates as PEM, for loopback TLS tests.
        .target(
            name: "TLSFixtures",
            dependencies: ["CTestCertificates"],
            swiftSettings: swiftSettings
        ),
        /// A deterministic in-memory Flink 2.3 session cluster behind `FlinkService`, and a fault-injecting decorator
        /// for any `FlinkService`: for scenario tests and seeded fault simulations of the operator.
        .target(
            name: "FlinkModel",
            dependencies: ["FlinkREST"],
            swiftSettings: swiftSettings
        ),
        /// Finds (or starts) the real local Flink session clusters and the compiled test jobs for tests.
        .target(
            name: "FlinkTestSupport",
            dependencies: [
                "FlinkREST",
                "HTTPTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Latency of GET /jobs/:id/status: FlinkRESTClient (keep-alive) vs the curl CLI, on a real local Flink.
        .executableTarget(
            name: "flink-rest-benchmark",
            dependencies: [
                "FlinkREST",
                "FlinkTestSupport",
                "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Small-GET requests per second of the libcurl transport over loopback keep-alive (HTTP, HTTPS, h2).
        .executableTarget(
            name: "transport-benchmark",
            dependencies: [
                "HTTPTransport",
                "TLSFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Deploy time via the operator vs raw REST, and watch-event → first Flink request latency (a benchmark).
        .executableTarget(
            name: "operator-benchmark",
            dependencies: [
                "FlinkJobOperator",
                "FlinkREST",
                "FlinkTestSupport",
                "HTTPTransport",
                "Kubernetes",
                "KubernetesEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// A real HTTPS Kubernetes API server on loopback, strict like kube-apiserver.
        .target(
            name: "KubernetesEmulator",
            dependencies: [
                "JSONCore",
                "TLSFixtures",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests

        .testTarget(
            name: "JSONCoreTests",
            dependencies: ["JSONCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TLSFixturesTests",
            dependencies: ["TLSFixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPTransportTests",
            dependencies: [
                "HTTPTransport",
                "TLSFixtures",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlinkRESTTests",
            dependencies: ["FlinkREST", "FlinkTestSupport", "HTTPTransport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlinkModelTests",
            dependencies: ["FlinkModel", "FlinkREST"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControllerRuntimeTests",
            dependencies: [
                "ControllerRuntime",
                "HTTPTransport",
                "JSONCore",
                "Kubernetes",
                "KubernetesEmulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlinkJobOperatorTests",
            dependencies: [
                "ControllerRuntime",
                "FlinkJobOperator",
                "FlinkModel",
                "FlinkREST",
                "FlinkTestSupport",
                "HTTPTransport",
                "JSONCore",
                "Kubernetes",
                "KubernetesEmulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OperatorServerTests",
            dependencies: [
                "OperatorServer",
                "HTTPTransport",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubernetesTests",
            dependencies: [
                "Kubernetes",
                "KubernetesEmulator",
                "TLSFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubernetesEmulatorTests",
            // FlinkTestSupport: ChildProcess and Kubectl, for the tests that run the real kubectl against the emulator.
            dependencies: ["KubernetesEmulator", "FlinkTestSupport", "HTTPTransport", "JSONCore", "TLSFixtures"],
            resources: [.copy("Conformance")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LocalModeTests",
            dependencies: [
                "ControllerRuntime",
                "FlinkJobOperator",
                "FlinkREST",
                "FlinkTestSupport",
                "HTTPTransport",
                "JSONCore",
                "Kubernetes",
                // The ObjectAPI contract suite runs against the emulator as well as local mode's store.
                "KubernetesEmulator",
                "LocalMode",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
