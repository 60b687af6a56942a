import Foundation

/// Runs blocking work (a child process, a large file) on a Dispatch thread, so that it never occupies one of the
/// few threads of Swift's cooperative pool, which every other test's timers and tasks share.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// The `openssl` command line, an independent implementation to produce keys and signatures. Its calls block: in
/// async tests wrap them in `offThePool`.
enum OpenSSL {
    static func sign(file: String, kind: String, in directory: URL) throws -> (publicKey: String, signature: Data) {
        let key = directory.appendingPathComponent("key-\(UUID().uuidString).pem").path
        let pub = key + ".pub"
        let sig = key + ".sig"
        switch kind {
        case "ec", "ec:P-384":
            let curve = kind == "ec" ? "P-256" : "P-384"
            _ = try run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:\(curve)", "-out", key])
        case "ed25519": _ = try run(["openssl", "genpkey", "-algorithm", "ED25519", "-out", key])
        default:
            let bits = kind.hasPrefix("rsa:") ? String(kind.dropFirst(4)) : "2048"
            _ = try run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)", "-out", key])
        }
        _ = try run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub])
        if kind == "ed25519" {
            // Ed25519 signs the artifact's SHA-256 digest (see SignatureVerifier).
            let digest = key + ".sha256"
            _ = try run(["sh", "-c", "openssl dgst -sha256 -binary \"$0\" > \"$1\"", file, digest])
            _ = try run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", digest, "-out", sig])
        } else {
            _ = try run(["openssl", "dgst", "-sha256", "-sign", key, "-out", sig, file])
        }
        return (try String(contentsOfFile: pub, encoding: .utf8), try Data(contentsOf: URL(fileURLWithPath: sig)))
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(arguments.joined(separator: " ")) failed"])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
