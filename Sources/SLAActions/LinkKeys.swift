import Crypto
import Foundation

/// The keys behind action links: `key` signs new links and verifies them; each `old-key` only verifies
/// (links sent before a rotation keep working until the old key is removed from the rules).
///
/// Key material must be at least 32 bytes (256 bits, the size of an HMAC-SHA256 block's worth of
/// security). The text of a key (from `env NAME` or `credential NAME`) is read as:
/// - hex: only the digits 0-9a-f (either case), an even number of them: 64 or more digits;
/// - base64 or base64url (padding optional) that decodes to 32 bytes or more: 43 or more characters;
/// - otherwise the text itself, as UTF-8: 32 characters or more (a passphrase).
/// `openssl rand -hex 32` or `openssl rand -base64 32` makes a good one.
public struct LinkKeys: Sendable {
    /// Signs new links (and verifies).
    public let signing: SymmetricKey
    /// Verifies only, newest first.
    public let old: [SymmetricKey]

    /// The least key material accepted, in bytes.
    public static let minimumBytes = 32

    public init(key: [UInt8], oldKeys: [[UInt8]] = []) throws(LinkKeyError) {
        for (index, bytes) in ([key] + oldKeys).enumerated() where bytes.count < Self.minimumBytes {
            throw LinkKeyError(setting: index == 0 ? "key" : "old-key", reason: Self.tooShort(bytes.count))
        }
        signing = SymmetricKey(data: key)
        old = oldKeys.map { SymmetricKey(data: $0) }
    }

    /// Keys from their texts, each read as hex, base64 or plain text (see the type's documentation).
    public init(keyText: String, oldKeyTexts: [String] = []) throws(LinkKeyError) {
        let key: [UInt8]
        do throws(LinkKeyError) { key = try Self.material(from: keyText) } catch { throw LinkKeyError(setting: "key", reason: error.reason) }
        var old: [[UInt8]] = []
        for (index, text) in oldKeyTexts.enumerated() {
            do throws(LinkKeyError) { old.append(try Self.material(from: text)) } catch {
                throw LinkKeyError(setting: oldKeyTexts.count == 1 ? "old-key" : "old-key \(index + 1)", reason: error.reason)
            }
        }
        try self.init(key: key, oldKeys: old)
    }

    /// Every key that verifies: the signing key first.
    public var verifying: [SymmetricKey] { [signing] + old }

    /// The bytes a key's text stands for: hex, else base64/base64url, else the UTF-8 text itself.
    public static func material(from text: String) throws(LinkKeyError) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bytes = hex(trimmed) {
            guard bytes.count >= minimumBytes else {
                throw LinkKeyError(setting: "key", reason: "it is \(trimmed.count) hex digits (\(bytes.count) bytes); "
                    + "a key needs 64 hex digits or more (32 bytes): make one with `openssl rand -hex 32`")
            }
            return bytes
        }
        if let bytes = Base64URL.decodeLenient(trimmed), bytes.count >= minimumBytes { return bytes }
        let bytes = Array(trimmed.utf8)
        guard bytes.count >= minimumBytes else { throw LinkKeyError(setting: "key", reason: tooShort(bytes.count)) }
        return bytes
    }

    static func tooShort(_ count: Int) -> String {
        "it is \(count) bytes; a key needs at least \(minimumBytes) bytes: 64 hex digits, 44 base64 characters "
            + "or a passphrase of 32 characters or more (make one with `openssl rand -hex 32`)"
    }

    static func hex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A key that cannot be used, with what would be valid. Never carries the key's text.
public struct LinkKeyError: Error, CustomStringConvertible, Equatable {
    /// `key`, `old-key` or `old-key 2`.
    public let setting: String
    public let reason: String

    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String { "links: '\(setting)' cannot sign links: \(reason)" }
}
