import Foundation
import Yams

/// A parsed kubeconfig file (or several merged): clusters, users, contexts and the current context.
///
/// Only what this client can use is modelled; unknown keys are ignored. Relative file paths are resolved
/// against the directory of the file that names them when the file is loaded.
public struct Kubeconfig: Sendable, Hashable, Decodable {
    /// A named cluster entry.
    public struct NamedCluster: Sendable, Hashable, Decodable {
        /// The entry's name.
        public var name: String
        /// The cluster.
        public var cluster: Cluster
    }

    /// How to reach and trust an API server.
    public struct Cluster: Sendable, Hashable, Decodable {
        /// The server URL (`https://host:6443`).
        public var server: String?
        /// Path of a PEM CA bundle.
        public var certificateAuthority: String?
        /// Base64 of a PEM CA bundle.
        public var certificateAuthorityData: String?
        /// Disables server certificate verification.
        public var insecureSkipTLSVerify: Bool?

        private enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    /// A named user entry.
    public struct NamedUser: Sendable, Hashable, Decodable {
        /// The entry's name.
        public var name: String
        /// The credentials.
        public var user: User
    }

    /// Credentials. `exec` and `auth-provider` are recognised only to be refused with a clear error.
    public struct User: Sendable, Hashable, Decodable {
        /// A bearer token.
        public var token: String?
        /// Path of a file holding a bearer token (re-read periodically).
        public var tokenFile: String?
        /// Path of a PEM client certificate.
        public var clientCertificate: String?
        /// Base64 of a PEM client certificate.
        public var clientCertificateData: String?
        /// Path of a PEM client key.
        public var clientKey: String?
        /// Base64 of a PEM client key.
        public var clientKeyData: String?
        /// Basic-auth user name.
        public var username: String?
        /// Basic-auth password.
        public var password: String?
        /// The exec credential plugin's command, when one is configured (unsupported).
        public var execCommand: String?
        /// The auth-provider's name, when one is configured (unsupported).
        public var authProviderName: String?

        private enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case authProvider = "auth-provider"
        }

        private struct Exec: Decodable { var command: String? }
        private struct AuthProvider: Decodable { var name: String? }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            token = try container.decodeIfPresent(String.self, forKey: .token)
            tokenFile = try container.decodeIfPresent(String.self, forKey: .tokenFile)
            clientCertificate = try container.decodeIfPresent(String.self, forKey: .clientCertificate)
            clientCertificateData = try container.decodeIfPresent(String.self, forKey: .clientCertificateData)
            clientKey = try container.decodeIfPresent(String.self, forKey: .clientKey)
            clientKeyData = try container.decodeIfPresent(String.self, forKey: .clientKeyData)
            username = try container.decodeIfPresent(String.self, forKey: .username)
            password = try container.decodeIfPresent(String.self, forKey: .password)
            if container.contains(.exec) {
                execCommand = try container.decodeIfPresent(Exec.self, forKey: .exec)?.command ?? "<no command>"
            }
            if container.contains(.authProvider) {
                authProviderName =
                    try container.decodeIfPresent(AuthProvider.self, forKey: .authProvider)?.name ?? "<unnamed>"
            }
        }

        /// A user without credentials (a context that names none).
        init() {}
    }

    /// A named context entry.
    public struct NamedContext: Sendable, Hashable, Decodable {
        /// The entry's name.
        public var name: String
        /// The context.
        public var context: Context
    }

    /// A (cluster, user, namespace) triple.
    public struct Context: Sendable, Hashable, Decodable {
        /// The cluster entry's name.
        public var cluster: String
        /// The user entry's name; empty or absent for no credentials.
        public var user: String?
        /// The default namespace.
        public var namespace: String?
    }

    /// The cluster entries.
    public var clusters: [NamedCluster]
    /// The user entries.
    public var users: [NamedUser]
    /// The context entries.
    public var contexts: [NamedContext]
    /// The context used unless overridden.
    public var currentContext: String?

    private enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // kubectl writes `null` for empty lists.
        clusters = try container.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        users = try container.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
        contexts = try container.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
        currentContext = try container.decodeIfPresent(String.self, forKey: .currentContext)
    }

    /// Parses kubeconfig YAML; relative paths are resolved against `baseDirectory`.
    ///
    /// - Throws: `KubernetesError.invalidConfiguration` when the text is not a kubeconfig.
    public init(yaml: String, baseDirectory: String) throws {
        do {
            self = try YAMLDecoder().decode(Kubeconfig.self, from: yaml)
        } catch {
            throw KubernetesError.invalidConfiguration("not a valid kubeconfig: \(error)")
        }
        resolvePaths(against: baseDirectory)
    }

    /// Reads and parses one file; relative paths are resolved against its directory.
    public init(contentsOfFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KubernetesError.invalidConfiguration("cannot read kubeconfig \(path): \(error)")
        }
        do {
            try self.init(yaml: text, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch KubernetesError.invalidConfiguration(let why) {
            throw KubernetesError.invalidConfiguration("\(path): \(why)")
        }
    }

    /// Merges files the way kubectl merges `KUBECONFIG`: for every named entry and for `current-context`,
    /// the first file that sets it wins.
    public static func merging(_ configs: [Kubeconfig]) -> Kubeconfig {
        guard var merged = configs.first else { return Kubeconfig() }
        for config in configs.dropFirst() {
            let clusterNames = Set(merged.clusters.map(\.name))
            merged.clusters += config.clusters.filter { !clusterNames.contains($0.name) }
            let userNames = Set(merged.users.map(\.name))
            merged.users += config.users.filter { !userNames.contains($0.name) }
            let contextNames = Set(merged.contexts.map(\.name))
            merged.contexts += config.contexts.filter { !contextNames.contains($0.name) }
            if merged.currentContext?.isEmpty ?? true { merged.currentContext = config.currentContext }
        }
        return merged
    }

    private init() {
        clusters = []
        users = []
        contexts = []
        currentContext = nil
    }

    private mutating func resolvePaths(against directory: String) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
        }
        for index in clusters.indices {
            clusters[index].cluster.certificateAuthority = resolve(clusters[index].cluster.certificateAuthority)
        }
        for index in users.indices {
            users[index].user.tokenFile = resolve(users[index].user.tokenFile)
            users[index].user.clientCertificate = resolve(users[index].user.clientCertificate)
            users[index].user.clientKey = resolve(users[index].user.clientKey)
        }
    }
}
