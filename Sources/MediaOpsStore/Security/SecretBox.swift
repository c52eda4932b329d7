import Crypto
import Foundation

/// Encrypts platform credentials at rest with AES-256-GCM. The key comes from
/// MEDIAOPS_SECRET_KEY or, when unset, a key file created with mode 0600.
public struct SecretBox: Sendable {
    // Kept as bytes: SymmetricKey is not Sendable, Data is.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(key: SymmetricKey) { self.keyBytes = key.withUnsafeBytes { Data($0) } }

    /// A key given as 32 bytes in base64 is used as is; any other text is
    /// stretched with HKDF so a passphrase works too.
    public init(keyMaterial: String) {
        if let data = Data(base64Encoded: keyMaterial), data.count == 32 {
            self.init(key: SymmetricKey(data: data))
        } else {
            self.init(key: HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(keyMaterial.utf8)),
                                              info: Data("mediaops credentials v1".utf8), outputByteCount: 32))
        }
    }

    public enum KeyFileError: Error, CustomStringConvertible {
        case unreadable(String)
        case insecurePermissions(String)

        public var description: String {
            switch self {
            case .unreadable(let path): "The secret key file \(path) cannot be read or holds no valid key."
            case .insecurePermissions(let path): "The secret key file \(path) is readable by other users; run chmod 600 on it."
            }
        }
    }

    /// Loads the key file at `path`, creating it (mode 0600) with a fresh random key if missing.
    public static func loadOrCreateKeyFile(at path: String) throws -> SecretBox {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32
            else { throw KeyFileError.unreadable(path) }
            if let mode = (try? manager.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw KeyFileError.insecurePermissions(path)
            }
            return SecretBox(key: SymmetricKey(data: data))
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n"
        // Create with 0600 from the start so the key is never briefly world-readable.
        guard manager.createFile(atPath: path, contents: Data(encoded.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw KeyFileError.unreadable(path)
        }
        return SecretBox(key: key)
    }

    public func seal(_ secrets: [String: String]) throws -> String {
        let plaintext = try JSONEncoder().encode(secrets)
        let box = try AES.GCM.seal(plaintext, using: key)
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return "v1:" + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> [String: String] {
        guard sealed.hasPrefix("v1:"), let data = Data(base64Encoded: String(sealed.dropFirst(3))) else {
            throw CryptoKitError.incorrectParameterSize
        }
        let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key)
        return try JSONDecoder().decode([String: String].self, from: plaintext)
    }
}
