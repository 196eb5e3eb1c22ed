import Crypto
import Foundation
import SLAFormats

/// Decides whether a delivery comes from its source (docs/intake.md): the HMAC-SHA256 signature of the
/// bytes the mapping names, or the bearer secret, compared in constant time; then, when the mapping
/// names a timestamp header, whether the delivery is recent. The signature is checked first, so a
/// forger learns nothing about the timestamp; neither the secret nor the signature is ever logged.
struct IntakeVerifier {
    enum Verdict: Equatable {
        case accepted
        /// No signature, a malformed one, or a wrong one: the answer says no more than that.
        case unauthorized
        /// Signed correctly, but the timestamp is further from now than the mapping's tolerance.
        case stale(seconds: Int)
    }

    let mapping: IntakeMapping
    let secret: [UInt8]

    /// `header` looks up a request header (case-insensitive); `delivery` is the delivery id when known.
    func verify(header: (String) -> String?, body: [UInt8], delivery: String?, now: Int) -> Verdict {
        switch mapping.auth {
        case .bearer:
            guard let authorization = header("Authorization"), authorization.hasPrefix("Bearer ") else { return .unauthorized }
            guard Self.equal(Array(authorization.dropFirst(7).utf8), secret) else { return .unauthorized }
        case let .hmac(signature):
            guard let written = header(signature.header), written.hasPrefix(signature.prefix),
                  let code = Self.decode(String(written.dropFirst(signature.prefix.count)), signature.encoding) else { return .unauthorized }
            var signed: [UInt8] = []
            for part in signature.signed {
                switch part {
                case .body: signed += body
                case .timestamp:
                    guard let name = mapping.timestamp?.header, let value = header(name) else { return .unauthorized }
                    signed += Array(value.utf8)
                case .delivery:
                    guard let delivery else { return .unauthorized }
                    signed += Array(delivery.utf8)
                case let .literal(text): signed += Array(text.utf8)
                }
            }
            guard HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: signed, using: SymmetricKey(data: secret)) else {
                return .unauthorized
            }
        case nil:
            return .unauthorized
        }
        if let timestamp = mapping.timestamp {
            guard let value = header(timestamp.header), let at = IntakeTimestamp.instant(value) else { return .unauthorized }
            if abs(now - at) > timestamp.tolerance { return .stale(seconds: now - at) }
        }
        return .accepted
    }

    /// The signature's bytes: hex (either case) or base64 (standard or URL-safe, padded or not).
    static func decode(_ text: String, _ encoding: IntakeSignature.Encoding) -> [UInt8]? {
        let text = text.trimmingCharacters(in: .whitespaces)
        switch encoding {
        case .hex:
            let bytes = Array(text.utf8)
            guard bytes.count == 64 else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for index in stride(from: 0, to: bytes.count, by: 2) {
                guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
                out.append(high << 4 | low)
            }
            return out
        case .base64:
            var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while standard.count % 4 != 0 { standard += "=" }
            guard let data = Data(base64Encoded: standard), data.count == 32 else { return nil }
            return Array(data)
        }
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 97...102: byte - 87
        case 65...70: byte - 55
        default: nil
        }
    }

    /// Constant time in the bytes compared (the length of a bearer secret is not a secret worth hiding).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
