import Foundation

extension KubernetesEmulator {
    /// Writes a kubeconfig (server, CA data, token, context, namespace) for a client or the operator binary.
    ///
    /// - Parameters:
    ///   - token: the user's token (the admin's when `nil`).
    ///   - namespace: the context's namespace.
    public func writeKubeconfig(to url: URL, token: String? = nil, namespace: String = "default") throws {
        let ca = Data(caCertificatePEM.utf8).base64EncodedString()
        let text = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: emulator
          cluster:
            server: \(baseURL)
            certificate-authority-data: \(ca)
        users:
        - name: emulator-user
          user:
            token: \(token ?? adminToken)
        contexts:
        - name: emulator
          context:
            cluster: emulator
            user: emulator-user
            namespace: \(namespace)
        current-context: emulator

        """
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw EmulatorError.writeFailed("\(url.path): \(error)")
        }
    }

    /// Writes `token`, `ca.crt` and `namespace` into `directory`, as a pod's service-account mount has them.
    public func writeInClusterFiles(to directory: URL, token: String? = nil, namespace: String = "default") throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data((token ?? adminToken).utf8).write(to: directory.appendingPathComponent("token"))
            try Data(caCertificatePEM.utf8).write(to: directory.appendingPathComponent("ca.crt"))
            try Data(namespace.utf8).write(to: directory.appendingPathComponent("namespace"))
        } catch {
            throw EmulatorError.writeFailed("\(directory.path): \(error)")
        }
    }

    /// `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` as a pod would see them.
    public var inClusterEnvironment: [String: String] {
        ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(port)]
    }
}
