import Kubernetes

/// How to reach one existing Flink session cluster and who may use it (`crds/flinksessioncluster.yaml`).
///
/// Decoding applies the CRD's defaults, as for `FlinkJobSpec`.
public struct FlinkSessionClusterSpec: Sendable, Hashable, Codable {
    public var restURL: String
    public var tls: TLS?
    public var auth: Auth?
    public var allowedNamespaces: AllowedNamespaces?
    public var quotas: Quotas?
    public var jobDefaults: JobDefaults?
    public var artifactPolicy: ArtifactPolicy?
    public var probe: Probe

    /// A key of a Secret in a given namespace (the cluster resource itself has no namespace).
    public struct SecretKeyReference: Sendable, Hashable, Codable {
        public var name: String
        public var namespace: String
        public var key: String
        public init(name: String, namespace: String, key: String) {
            self.name = name
            self.namespace = namespace
            self.key = key
        }
    }

    public struct TLS: Sendable, Hashable, Codable {
        public var caSecretRef: SecretKeyReference?
        public var caFile: String?
        public var clientCertSecretRef: ClientCertificateReference?
        public var insecureSkipVerify: Bool

        public struct ClientCertificateReference: Sendable, Hashable, Codable {
            public var name: String
            public var namespace: String
            public var certKey: String
            public var keyKey: String
            public init(name: String, namespace: String, certKey: String = "tls.crt", keyKey: String = "tls.key") {
                self.name = name
                self.namespace = namespace
                self.certKey = certKey
                self.keyKey = keyKey
            }
            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                name = try c.decode(String.self, forKey: .name)
                namespace = try c.decode(String.self, forKey: .namespace)
                certKey = try c.decodeIfPresent(String.self, forKey: .certKey) ?? "tls.crt"
                keyKey = try c.decodeIfPresent(String.self, forKey: .keyKey) ?? "tls.key"
            }
        }

        public init(
            caSecretRef: SecretKeyReference? = nil, caFile: String? = nil,
            clientCertSecretRef: ClientCertificateReference? = nil, insecureSkipVerify: Bool = false
        ) {
            self.caSecretRef = caSecretRef
            self.caFile = caFile
            self.clientCertSecretRef = clientCertSecretRef
            self.insecureSkipVerify = insecureSkipVerify
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            caSecretRef = try c.decodeIfPresent(SecretKeyReference.self, forKey: .caSecretRef)
            caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
            clientCertSecretRef = try c.decodeIfPresent(ClientCertificateReference.self, forKey: .clientCertSecretRef)
            insecureSkipVerify = try c.decodeIfPresent(Bool.self, forKey: .insecureSkipVerify) ?? false
        }
    }

    public struct Auth: Sendable, Hashable, Codable {
        public var bearerTokenSecretRef: SecretKeyReference?
        public var apiKey: APIKey?
        public var basic: Basic?
        public var kerberos: Kerberos?
        /// Send these credentials over a plain `http://` restURL anyway (refused unless set).
        public var allowPlaintextHTTP: Bool?

        /// Whether any credential is configured.
        public var hasCredentials: Bool { bearerTokenSecretRef != nil || apiKey != nil || basic != nil || kerberos != nil }

        /// Whether these credentials would go to `restURL` in clear text without the spec allowing it.
        public func wouldSendInClearText(to restURL: String) -> Bool {
            hasCredentials && allowPlaintextHTTP != true && restURL.lowercased().hasPrefix("http://")
        }

        public struct APIKey: Sendable, Hashable, Codable {
            public var header: String
            public var secretRef: SecretKeyReference
            public init(header: String = "X-API-Key", secretRef: SecretKeyReference) {
                self.header = header
                self.secretRef = secretRef
            }
            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                header = try c.decodeIfPresent(String.self, forKey: .header) ?? "X-API-Key"
                secretRef = try c.decode(SecretKeyReference.self, forKey: .secretRef)
            }
        }

        public struct Basic: Sendable, Hashable, Codable {
            public var secretRef: SecretReference
            public init(secretRef: SecretReference) { self.secretRef = secretRef }
        }

        public struct SecretReference: Sendable, Hashable, Codable {
            public var name: String
            public var namespace: String
            public init(name: String, namespace: String) {
                self.name = name
                self.namespace = namespace
            }
        }

        public struct Kerberos: Sendable, Hashable, Codable {
            public var principal: String
            public var keytabSecretRef: SecretKeyReference
            public init(principal: String, keytabSecretRef: SecretKeyReference) {
                self.principal = principal
                self.keytabSecretRef = keytabSecretRef
            }
        }

        public init(
            bearerTokenSecretRef: SecretKeyReference? = nil, apiKey: APIKey? = nil, basic: Basic? = nil,
            kerberos: Kerberos? = nil, allowPlaintextHTTP: Bool? = nil
        ) {
            self.bearerTokenSecretRef = bearerTokenSecretRef
            self.apiKey = apiKey
            self.basic = basic
            self.kerberos = kerberos
            self.allowPlaintextHTTP = allowPlaintextHTTP
        }
    }

    /// Namespaces allowed to run jobs here: absent = all; present = those named or matching the selector.
    public struct AllowedNamespaces: Sendable, Hashable, Codable {
        public var names: [String]?
        public var selector: LabelSelector?
        public init(names: [String]? = nil, selector: LabelSelector? = nil) {
            self.names = names
            self.selector = selector
        }
    }

    public struct Quotas: Sendable, Hashable, Codable {
        public var maxParallelismPerJob: Int?
        public var maxSlotsPerNamespace: Int?
        public init(maxParallelismPerJob: Int? = nil, maxSlotsPerNamespace: Int? = nil) {
            self.maxParallelismPerJob = maxParallelismPerJob
            self.maxSlotsPerNamespace = maxSlotsPerNamespace
        }
    }

    public struct JobDefaults: Sendable, Hashable, Codable {
        public var savepointDirectory: String?
        public var checkpointDirectory: String?
        public init(savepointDirectory: String? = nil, checkpointDirectory: String? = nil) {
            self.savepointDirectory = savepointDirectory
            self.checkpointDirectory = checkpointDirectory
        }
    }

    public struct ArtifactPolicy: Sendable, Hashable, Codable {
        public var requireDigest: Bool
        public var requireSignature: Bool
        public var allowedURIPrefixes: [String]?
        /// The platform's public keys (PEM, in Secrets the operator may read) that sign artifacts for this cluster.
        public var trustedKeys: [SecretKeyReference]?
        public init(
            requireDigest: Bool = false, requireSignature: Bool = false, allowedURIPrefixes: [String]? = nil,
            trustedKeys: [SecretKeyReference]? = nil
        ) {
            self.requireDigest = requireDigest
            self.requireSignature = requireSignature
            self.allowedURIPrefixes = allowedURIPrefixes
            self.trustedKeys = trustedKeys
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            requireDigest = try c.decodeIfPresent(Bool.self, forKey: .requireDigest) ?? false
            requireSignature = try c.decodeIfPresent(Bool.self, forKey: .requireSignature) ?? false
            allowedURIPrefixes = try c.decodeIfPresent([String].self, forKey: .allowedURIPrefixes)
            trustedKeys = try c.decodeIfPresent([SecretKeyReference].self, forKey: .trustedKeys)
        }
    }

    /// Health probing and the circuit breaker.
    public struct Probe: Sendable, Hashable, Codable {
        public var interval: String
        public var timeout: String
        public var failureThreshold: Int
        public var openDuration: String
        public init(interval: String = "10s", timeout: String = "5s", failureThreshold: Int = 3, openDuration: String = "30s") {
            self.interval = interval
            self.timeout = timeout
            self.failureThreshold = failureThreshold
            self.openDuration = openDuration
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            interval = try c.decodeIfPresent(String.self, forKey: .interval) ?? "10s"
            timeout = try c.decodeIfPresent(String.self, forKey: .timeout) ?? "5s"
            failureThreshold = try c.decodeIfPresent(Int.self, forKey: .failureThreshold) ?? 3
            openDuration = try c.decodeIfPresent(String.self, forKey: .openDuration) ?? "30s"
        }
    }

    public init(
        restURL: String, tls: TLS? = nil, auth: Auth? = nil, allowedNamespaces: AllowedNamespaces? = nil,
        quotas: Quotas? = nil, jobDefaults: JobDefaults? = nil, artifactPolicy: ArtifactPolicy? = nil,
        probe: Probe = .init()
    ) {
        self.restURL = restURL
        self.tls = tls
        self.auth = auth
        self.allowedNamespaces = allowedNamespaces
        self.quotas = quotas
        self.jobDefaults = jobDefaults
        self.artifactPolicy = artifactPolicy
        self.probe = probe
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        restURL = try c.decode(String.self, forKey: .restURL)
        tls = try c.decodeIfPresent(TLS.self, forKey: .tls)
        auth = try c.decodeIfPresent(Auth.self, forKey: .auth)
        allowedNamespaces = try c.decodeIfPresent(AllowedNamespaces.self, forKey: .allowedNamespaces)
        quotas = try c.decodeIfPresent(Quotas.self, forKey: .quotas)
        jobDefaults = try c.decodeIfPresent(JobDefaults.self, forKey: .jobDefaults)
        artifactPolicy = try c.decodeIfPresent(ArtifactPolicy.self, forKey: .artifactPolicy)
        probe = try c.decodeIfPresent(Probe.self, forKey: .probe) ?? .init()
    }
}
