import Foundation
import HTTPTransport
import Logging

extension KubernetesConfiguration {
    /// The configuration from the kubeconfig files in `KUBECONFIG` (`:`-separated, merged, first wins; missing
    /// files skipped) or else `$HOME/.kube/config`.
    ///
    /// - Parameter context: overrides `current-context`.
    /// - Throws: `KubernetesError.invalidConfiguration` naming the missing file, context, cluster or user, or the
    ///   unsupported credential type (exec plugins, auth providers).
    public static func kubeconfig(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        context: String? = nil,
        logger: Logger
    ) throws -> KubernetesConfiguration {
        let paths: [String]
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            paths = [URL(fileURLWithPath: home).appendingPathComponent(".kube/config").path]
        }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        guard !existing.isEmpty else {
            throw KubernetesError.invalidConfiguration(
                "no kubeconfig found (looked at \(paths.joined(separator: ", "))) and not running in a cluster")
        }
        let merged = Kubeconfig.merging(try existing.map { try Kubeconfig(contentsOfFile: $0) })
        return try KubernetesConfiguration(kubeconfig: merged, context: context, logger: logger)
    }

    /// The configuration of one context of a parsed kubeconfig (`current-context` unless `context` is given).
    ///
    /// - Throws: `KubernetesError.invalidConfiguration` naming what is missing or unsupported.
    public init(kubeconfig: Kubeconfig, context contextOverride: String? = nil, logger: Logger) throws {
        guard let contextName = contextOverride ?? kubeconfig.currentContext, !contextName.isEmpty else {
            throw KubernetesError.invalidConfiguration("the kubeconfig has no current-context and none was given")
        }
        guard let context = kubeconfig.contexts.first(where: { $0.name == contextName })?.context else {
            throw KubernetesError.invalidConfiguration("context \"\(contextName)\" not found in the kubeconfig")
        }
        guard let cluster = kubeconfig.clusters.first(where: { $0.name == context.cluster })?.cluster else {
            throw KubernetesError.invalidConfiguration(
                "cluster \"\(context.cluster)\" of context \"\(contextName)\" not found in the kubeconfig")
        }
        var user = Kubeconfig.User()
        if let userName = context.user, !userName.isEmpty {
            guard let found = kubeconfig.users.first(where: { $0.name == userName })?.user else {
                throw KubernetesError.invalidConfiguration(
                    "user \"\(userName)\" of context \"\(contextName)\" not found in the kubeconfig")
            }
            user = found
        }
        if let command = user.execCommand {
            throw KubernetesError.invalidConfiguration(
                "user \"\(context.user ?? "")\" uses an exec credential plugin (\(command)), which is not supported; "
                    + "use a token, tokenFile or client certificate")
        }
        if let provider = user.authProviderName {
            throw KubernetesError.invalidConfiguration(
                "user \"\(context.user ?? "")\" uses the auth-provider \"\(provider)\", which is not supported; "
                    + "use a token, tokenFile or client certificate")
        }

        guard let server = cluster.server, server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw KubernetesError.invalidConfiguration(
                "cluster \"\(context.cluster)\" has no http(s) server URL (got \"\(cluster.server ?? "")\")")
        }

        var tls = TLSConfiguration()
        if let data = cluster.certificateAuthorityData, !data.isEmpty {
            tls.trustRoots = .pem(try Self.decodePEM(data, field: "certificate-authority-data"))
        } else if let path = cluster.certificateAuthority, !path.isEmpty {
            tls.trustRoots = .file(path: path)
        }
        tls.insecureSkipVerify = cluster.insecureSkipTLSVerify ?? false
        if tls.insecureSkipVerify {
            logger.warning(
                "TLS verification of the API server is disabled by the kubeconfig (insecure-skip-tls-verify)",
                metadata: ["kubeconfig.cluster": "\(context.cluster)"])
        }
        if let data = user.clientCertificateData, !data.isEmpty {
            tls.clientCertificate = .pem(try Self.decodePEM(data, field: "client-certificate-data"))
        } else if let path = user.clientCertificate, !path.isEmpty {
            tls.clientCertificate = .file(path: path)
        }
        if let data = user.clientKeyData, !data.isEmpty {
            tls.clientKey = .pem(try Self.decodePEM(data, field: "client-key-data"))
        } else if let path = user.clientKey, !path.isEmpty {
            tls.clientKey = .file(path: path)
        }
        if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
            throw KubernetesError.invalidConfiguration(
                "user \"\(context.user ?? "")\" has a client certificate without a key or a key without a certificate")
        }

        // As in client-go, a token file takes precedence over an inline token.
        let authentication: HTTPAuthentication?
        if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            authentication = .bearer(try FileTokenProvider(path: tokenFile, logger: logger))
        } else if let token = user.token, !token.isEmpty {
            authentication = .bearer(StaticBearerToken(token))
        } else if let username = user.username, !username.isEmpty {
            authentication = .basic(username: username, password: user.password ?? "")
        } else {
            authentication = nil
        }

        let namespace = context.namespace ?? ""
        self.init(
            server: server, tls: tls, authentication: authentication,
            namespace: namespace.isEmpty ? "default" : namespace)
    }

    private static func decodePEM(_ base64: String, field: String) throws -> String {
        let compact = base64.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact), let text = String(data: data, encoding: .utf8) else {
            throw KubernetesError.invalidConfiguration("\(field) is not base64-encoded PEM")
        }
        return text
    }
}
