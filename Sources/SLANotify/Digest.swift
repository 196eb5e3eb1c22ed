import Foundation
import Crypto

/// SHA-256, SHA-1 and HMAC over them through apple/swift-crypto (BoringSSL's implementations on Linux,
/// CryptoKit's on Apple platforms), plus the encodings the vendors' signatures are written in.
/// Checked against the vendors' published vectors in Tests/SLANotifyTests/SignatureTests.swift.
public enum Digest {
    public static func sha256<Bytes: Collection>(_ message: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        Array(SHA256.hash(data: Array(message)))
    }

    /// SHA-1 is broken for collisions; it is here only because Alibaba Cloud's RPC signature (HMAC-SHA1) asks for it.
    public static func sha1<Bytes: Collection>(_ message: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        Array(Insecure.SHA1.hash(data: Array(message)))
    }

    public enum Hash: Sendable { case sha256, sha1 }

    /// HMAC (RFC 2104).
    public static func hmac(_ hash: Hash, key: [UInt8], message: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch hash {
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        }
    }

    public static func hmacSHA256(key: String, message: String) -> [UInt8] {
        hmac(.sha256, key: Array(key.utf8), message: Array(message.utf8))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// RFC 3986 percent-encoding: everything but unreserved characters (A–Z a–z 0–9 - . _ ~).
    /// With `plusForSpace`, spaces become `+` (Python's `quote_plus`, as DingTalk's sample uses).
    public static func percentEncode(_ text: String, plusForSpace: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " ") where plusForSpace:
                out += "+"
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
