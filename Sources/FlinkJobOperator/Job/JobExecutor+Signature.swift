import Foundation

extension JobExecutor {
    /// Largest signature file accepted (an RSA-4096 signature is 512 bytes, base64 ≈ 700).
    static let maxSignatureBytes = 64 << 10

    /// Verifies `signature` over `artifact` with the keys `SignatureTrust` allows on `cluster`.
    func verifySignature(
        _ signature: FlinkJobSpec.Artifact.Signature?, of artifact: LocalArtifact, namespace: String, cluster: ClusterHandle
    ) async throws {
        guard let signature else { return }
        let keys: [(name: String, pem: String)]
        switch cluster.signatures.verifier(for: signature, cluster: cluster.name) {
        case .failure(let refusal):
            throw ArtifactError.signatureInvalid(refusal.description)
        case .success(.author(let own)):
            keys = [(
                "Secret \(namespace)/\(own.name)",
                try await secretPEM(namespace: namespace, name: own.name, key: own.key, what: "signature public key"))]
        case .success(.platform):
            keys = try await platformKeys(cluster)
            guard !keys.isEmpty else {
                throw ArtifactError.signatureInvalid(
                    "no key to verify it with: FlinkSessionCluster \"\(cluster.name)\" trusts no keys "
                        + "(artifactPolicy.trustedKeys) and neither does the operator (artifacts.trustedKeyFiles)")
            }
        }
        let signatureBytes = try await signatureBytes(signature, cluster: cluster)
        var failures: [String] = []
        for key in keys {
            do {
                try SignatureVerifier.verify(fileAt: artifact.path, signature: signatureBytes, publicKeyPEM: key.pem)
                return
            } catch {
                failures.append("\(key.name): \(error.reasonText)")
            }
        }
        if keys.count == 1 { throw ArtifactError.signatureInvalid(failures[0]) }
        throw ArtifactError.signatureInvalid(
            "it verifies with none of the \(keys.count) trusted keys (\(failures.joined(separator: "; ")))")
    }

    /// The cluster's trusted keys (Secrets) and the operator's (files).
    private func platformKeys(_ cluster: ClusterHandle) async throws -> [(name: String, pem: String)] {
        var keys: [(name: String, pem: String)] = []
        for reference in cluster.signatures.keys {
            keys.append((
                "Secret \(reference.namespace)/\(reference.name)",
                try await secretPEM(
                    namespace: reference.namespace, name: reference.name, key: reference.key,
                    what: "trusted key of FlinkSessionCluster \"\(cluster.name)\"")))
        }
        for path in fetcher.settings.trustedKeyFiles {
            guard let data = FileManager.default.contents(atPath: path), let pem = String(data: data, encoding: .utf8) else {
                throw ArtifactError.unavailable(uri: "file://\(path)", reason: "the operator's trusted key file cannot be read")
            }
            keys.append(("operator key \((path as NSString).lastPathComponent)", pem))
        }
        return keys
    }

    private func secretPEM(namespace: String, name: String, key: String, what: String) async throws -> String {
        let value: Data?
        do {
            value = try await references.secretValue(namespace: namespace, name: name, key: key)
        } catch {
            throw ArtifactError.unavailable(uri: "secret:\(namespace)/\(name)", reason: "cannot be read now: \(error)")
        }
        guard let value, let pem = String(data: value, encoding: .utf8) else {
            throw ArtifactError.referenceMissing("Secret \(namespace)/\(name) key \(key) (\(what))")
        }
        return pem
    }

    /// The signature's bytes, from the spec or downloaded (raw or base64).
    private func signatureBytes(_ signature: FlinkJobSpec.Artifact.Signature, cluster: ClusterHandle) async throws -> Data {
        var bytes: Data?
        if let value = signature.value {
            bytes = Data(base64Encoded: value.trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let uri = signature.uri {
            let fetched = try await fetcher.fetch(
                uri, expectedDigest: nil, cachedDigest: nil, allowedPrefixes: cluster.allowedURIPrefixes)
            // A signature is a few hundred bytes; never read a large file whole into memory.
            let size = (try? FileManager.default.attributesOfItem(atPath: fetched.path)[.size] as? Int) ?? 0
            guard size <= Self.maxSignatureBytes else {
                throw ArtifactError.signatureInvalid("the signature file is larger than \(Self.maxSignatureBytes) bytes")
            }
            let raw = FileManager.default.contents(atPath: fetched.path) ?? Data()
            bytes = String(data: raw, encoding: .utf8)
                .flatMap { Data(base64Encoded: $0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? raw
        }
        guard let bytes, !bytes.isEmpty else { throw ArtifactError.signatureInvalid("the signature is not valid base64") }
        return bytes
    }
}

extension ArtifactError {
    /// The reason alone, for lists of failures (`signatureInvalid`'s text without its "nothing was uploaded").
    fileprivate var reasonText: String {
        if case .signatureInvalid(let why) = self { return why }
        return description
    }
}

extension Error {
    fileprivate var reasonText: String { (self as? ArtifactError)?.reasonText ?? "\(self)" }
}
