import Foundation
import HTTPTransport
import Logging
import Testing

@testable import Kubernetes

@Suite struct KubeconfigTests {
    private let logger = Logger(label: "test")

    private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    private func token(_ configuration: KubernetesConfiguration) async throws -> String? {
        guard case .bearer(let provider) = configuration.authentication else { return nil }
        return try await provider.bearerToken()
    }

    @Test func dataFieldsBecomeInMemoryPEM() async throws {
        let yaml = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster:
                server: https://prod.example:6443/
                certificate-authority-data: \(base64("CA PEM"))
            users:
            - name: admin
              user:
                token: abc123
                client-certificate-data: \(base64("CERT PEM"))
                client-key-data: \(base64("KEY PEM"))
            contexts:
            - name: prod-admin
              context: {cluster: prod, user: admin, namespace: team-a}
            current-context: prod-admin
            """
        let config = try KubernetesConfiguration(
            kubeconfig: try Kubeconfig(yaml: yaml, baseDirectory: "/unused"), logger: logger)
        #expect(config.server == "https://prod.example:6443")
        #expect(config.namespace == "team-a")
        #expect(config.tls.trustRoots == .pem("CA PEM"))
        #expect(config.tls.clientCertificate == .pem("CERT PEM"))
        #expect(config.tls.clientKey == .pem("KEY PEM"))
        #expect(!config.tls.insecureSkipVerify)
        #expect(try await token(config) == "abc123")
    }

    @Test func relativeFilePathsResolveAgainstTheKubeconfigDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("file-token\n", to: "conf/secrets/token")
        let path = try directory.write(
            """
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: ca.pem
                insecure-skip-tls-verify: true
            users:
            - name: u
              user:
                tokenFile: secrets/token
                token: ignored-inline-token
                client-certificate: ../certs/client.pem
                client-key: /abs/key.pem
            contexts:
            - name: ctx
              context: {cluster: c, user: u}
            current-context: ctx
            """, to: "conf/config")
        let config = try KubernetesConfiguration(kubeconfig: try Kubeconfig(contentsOfFile: path), logger: logger)
        #expect(config.tls.trustRoots == .file(path: directory.url.appendingPathComponent("conf/ca.pem").path))
        #expect(config.tls.clientCertificate == .file(path: directory.url.appendingPathComponent("certs/client.pem").path))
        #expect(config.tls.clientKey == .file(path: "/abs/key.pem"))
        #expect(config.tls.insecureSkipVerify)
        #expect(config.namespace == "default")
        // tokenFile wins over token, as in client-go.
        #expect(try await token(config) == "file-token")
    }

    @Test func contextOverrideAndBasicAuth() throws {
        let yaml = """
            clusters:
            - {name: a, cluster: {server: "https://a:1"}}
            - {name: b, cluster: {server: "http://b:2"}}
            users:
            - {name: basic, user: {username: alice, password: pw}}
            contexts:
            - {name: ctx-a, context: {cluster: a}}
            - {name: ctx-b, context: {cluster: b, user: basic, namespace: nb}}
            current-context: ctx-a
            """
        let kubeconfig = try Kubeconfig(yaml: yaml, baseDirectory: "/")
        let current = try KubernetesConfiguration(kubeconfig: kubeconfig, logger: logger)
        #expect(current.server == "https://a:1")
        #expect(current.authentication == nil)
        #expect(current.tls.trustRoots == .system)
        let other = try KubernetesConfiguration(kubeconfig: kubeconfig, context: "ctx-b", logger: logger)
        #expect(other.server == "http://b:2")
        #expect(other.namespace == "nb")
        guard case .basic(let user, let password) = other.authentication else {
            Issue.record("expected basic auth")
            return
        }
        #expect(user == "alice" && password == "pw")
    }

    @Test(arguments: [
        ("exec", "users:\n- name: u\n  user:\n    exec:\n      command: aws\n      apiVersion: client.authentication.k8s.io/v1", "exec credential plugin (aws)"),
        ("auth-provider", "users:\n- name: u\n  user:\n    auth-provider:\n      name: gcp", "auth-provider \"gcp\""),
    ])
    func unsupportedCredentialsAreRefusedByName(_ kind: String, _ usersYAML: String, _ expected: String) throws {
        let yaml = """
            clusters:
            - {name: c, cluster: {server: "https://c"}}
            \(usersYAML)
            contexts:
            - {name: x, context: {cluster: c, user: u}}
            current-context: x
            """
        let kubeconfig = try Kubeconfig(yaml: yaml, baseDirectory: "/")
        do {
            _ = try KubernetesConfiguration(kubeconfig: kubeconfig, logger: logger)
            Issue.record("\(kind) was accepted")
        } catch KubernetesError.invalidConfiguration(let message) {
            #expect(message.contains(expected))
        }
    }

    @Test(arguments: [
        ("current-context: nowhere", "context \"nowhere\" not found"),
        ("", "no current-context"),
    ])
    func missingContextsAreNamed(_ tail: String, _ expected: String) throws {
        let yaml = "clusters: []\ncontexts: []\n\(tail)"
        let kubeconfig = try Kubeconfig(yaml: yaml, baseDirectory: "/")
        #expect {
            try KubernetesConfiguration(kubeconfig: kubeconfig, logger: logger)
        } throws: { error in
            (error as? KubernetesError)?.description.contains(expected) == true
        }
    }

    @Test func brokenEntriesAreConfigurationErrors() throws {
        func configuration(_ yaml: String) throws -> KubernetesConfiguration {
            try KubernetesConfiguration(kubeconfig: try Kubeconfig(yaml: yaml, baseDirectory: "/"), logger: logger)
        }
        let missingCluster = "contexts:\n- {name: x, context: {cluster: gone}}\ncurrent-context: x"
        #expect(throws: KubernetesError.self) { try configuration(missingCluster) }
        let missingUser =
            "clusters:\n- {name: c, cluster: {server: 'https://c'}}\ncontexts:\n- {name: x, context: {cluster: c, user: nobody}}\ncurrent-context: x"
        #expect(throws: KubernetesError.self) { try configuration(missingUser) }
        let badBase64 =
            "clusters:\n- {name: c, cluster: {server: 'https://c', certificate-authority-data: '%%%'}}\ncontexts:\n- {name: x, context: {cluster: c}}\ncurrent-context: x"
        #expect(throws: KubernetesError.self) { try configuration(badBase64) }
        let noServer = "clusters:\n- {name: c, cluster: {}}\ncontexts:\n- {name: x, context: {cluster: c}}\ncurrent-context: x"
        #expect(throws: KubernetesError.self) { try configuration(noServer) }
        let certWithoutKey =
            "clusters:\n- {name: c, cluster: {server: 'https://c'}}\nusers:\n- {name: u, user: {client-certificate: /c.pem}}\ncontexts:\n- {name: x, context: {cluster: c, user: u}}\ncurrent-context: x"
        #expect(throws: KubernetesError.self) { try configuration(certWithoutKey) }
        #expect(throws: KubernetesError.self) { try Kubeconfig(yaml: "clusters: 5", baseDirectory: "/") }
        #expect(throws: KubernetesError.self) { try Kubeconfig(yaml: "- just\n- a list", baseDirectory: "/") }
    }

    @Test func kubeconfigEnvironmentMergesFilesFirstWins() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try directory.write(
            """
            clusters:
            - {name: shared, cluster: {server: "https://first:1"}}
            users:
            - {name: me, user: {token: first-token}}
            contexts:
            - {name: one, context: {cluster: shared, user: me}}
            """, to: "first.yaml")
        let second = try directory.write(
            """
            clusters:
            - {name: shared, cluster: {server: "https://second:2"}}
            - {name: extra, cluster: {server: "https://extra:3"}}
            users:
            - {name: me, user: {token: second-token}}
            contexts:
            - {name: two, context: {cluster: extra, user: me, namespace: ns2}}
            current-context: one
            """, to: "second.yaml")
        let missing = directory.url.appendingPathComponent("missing.yaml").path
        let environment = ["KUBECONFIG": "\(missing):\(first):\(second)"]
        let config = try KubernetesConfiguration.kubeconfig(environment: environment, logger: logger)
        #expect(config.server == "https://first:1")
        #expect(try await token(config) == "first-token")
        let two = try KubernetesConfiguration.kubeconfig(environment: environment, context: "two", logger: logger)
        #expect(two.server == "https://extra:3")
        #expect(two.namespace == "ns2")
        #expect(try await token(two) == "first-token")
    }

    @Test func defaultsToTheKubeDirectoryInHome() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        #expect(throws: KubernetesError.self) {
            try KubernetesConfiguration.load(environment: ["HOME": home.path], logger: logger)
        }
        try home.write(
            "clusters:\n- {name: c, cluster: {server: 'https://home:443'}}\ncontexts:\n- {name: x, context: {cluster: c}}\ncurrent-context: x",
            to: ".kube/config")
        let config = try KubernetesConfiguration.load(environment: ["HOME": home.path], logger: logger)
        #expect(config.server == "https://home:443")
    }
}

@Suite struct InClusterConfigurationTests {
    private let logger = Logger(label: "test")

    private func serviceAccount(namespace: String? = "team-a") throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("token-1\n", to: "token")
        try directory.write("-----BEGIN CERTIFICATE-----\n", to: "ca.crt")
        if let namespace { try directory.write(namespace + "\n", to: "namespace") }
        return directory
    }

    @Test func readsEnvironmentAndMountedFiles() async throws {
        let directory = try serviceAccount()
        defer { directory.remove() }
        let environment = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try KubernetesConfiguration.load(
            environment: environment, serviceAccountDirectory: directory.path, logger: logger)
        #expect(config.server == "https://10.96.0.1:443")
        #expect(config.namespace == "team-a")
        #expect(config.tls.trustRoots == .file(path: directory.url.appendingPathComponent("ca.crt").path))
        guard case .bearer(let provider) = config.authentication else {
            Issue.record("expected a bearer token")
            return
        }
        #expect(try await provider.bearerToken() == "token-1")
    }

    @Test func bracketsIPv6AndDefaultsTheNamespace() throws {
        let directory = try serviceAccount(namespace: nil)
        defer { directory.remove() }
        let config = try KubernetesConfiguration.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"],
            serviceAccountDirectory: directory.path, logger: logger)
        #expect(config.server == "https://[fd00::1]:6443")
        #expect(config.namespace == "default")
    }

    @Test func missingPiecesAreNamed() throws {
        let directory = try serviceAccount()
        defer { directory.remove() }
        let environment = ["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "443"]
        #expect(throws: KubernetesError.self) {
            try KubernetesConfiguration.inCluster(environment: [:], serviceAccountDirectory: directory.path, logger: logger)
        }
        #expect(throws: KubernetesError.self) {
            try KubernetesConfiguration.inCluster(
                environment: ["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "http"],
                serviceAccountDirectory: directory.path, logger: logger)
        }
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("token"))
        #expect {
            try KubernetesConfiguration.inCluster(
                environment: environment, serviceAccountDirectory: directory.path, logger: logger)
        } throws: { error in
            (error as? KubernetesError)?.description.contains("token") == true
        }
        try directory.write("t", to: "token")
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("ca.crt"))
        #expect {
            try KubernetesConfiguration.inCluster(
                environment: environment, serviceAccountDirectory: directory.path, logger: logger)
        } throws: { error in
            (error as? KubernetesError)?.description.contains("ca.crt") == true
        }
    }
}

@Suite struct FileTokenProviderTests {
    @Test func rereadsTheFileAfterTheRefreshInterval() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("old", to: "token")
        let cached = try FileTokenProvider(path: path, refreshInterval: .seconds(3600), logger: Logger(label: "t"))
        let fresh = try FileTokenProvider(path: path, refreshInterval: .zero, logger: Logger(label: "t"))
        try directory.write("new\n", to: "token")
        #expect(try await cached.bearerToken() == "old")
        #expect(try await fresh.bearerToken() == "new")
    }

    @Test func keepsTheLastGoodTokenAndWarnsOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("tok-AAA", to: "token")
        let recorder = LogRecorder()
        let provider = try FileTokenProvider(path: path, refreshInterval: .zero, logger: recorder.logger())
        try directory.write("  \n", to: "token")
        #expect(try await provider.bearerToken() == "tok-AAA")
        try FileManager.default.removeItem(atPath: path)
        #expect(try await provider.bearerToken() == "tok-AAA")
        #expect(try await provider.bearerToken() == "tok-AAA")
        #expect(recorder.all.filter { $0.level == .warning }.count == 1)
        // A good reload clears the warning state, so the next failure warns again.
        try directory.write("tok-BBB", to: "token")
        #expect(try await provider.bearerToken() == "tok-BBB")
        try FileManager.default.removeItem(atPath: path)
        #expect(try await provider.bearerToken() == "tok-BBB")
        #expect(recorder.all.filter { $0.level == .warning }.count == 2)
        // Tokens never reach the log.
        #expect(
            recorder.all.allSatisfy { record in
                !["tok-AAA", "tok-BBB"].contains { record.message.contains($0) || record.metadata.values.contains($0) }
            })
    }

    @Test func refusesAnEmptyFirstToken() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("\n", to: "token")
        #expect(throws: KubernetesError.self) { try FileTokenProvider(path: path, logger: Logger(label: "t")) }
    }
}
