import Foundation
@testable import SLADaemon
import SLAFormats
import Testing

/// How an intake source proves a delivery (issue 17): HMAC-SHA256 in hex or base64 (standard or URL-safe,
/// with a prefix) over the bytes the mapping names, a bearer secret, and the timestamp's window — against
/// RFC 4231-style vectors computed by Python's hmac, not by the library slad uses.
@Suite struct IntakeVerifierTests {
    static let body = Array("The quick brown fox jumps over the lazy dog".utf8)

    func verifier(_ text: String) throws -> IntakeVerifier {
        let mapping = try IntakeMapping.parse("id = a\ndefault = repair\nsecret = env K\ndelivery = header D\n" + text, source: "s", forIntake: true).get()
        return IntakeVerifier(mapping: mapping, secret: Array("key".utf8))
    }

    func verdict(_ verifier: IntakeVerifier, _ headers: [String: String], now: Int = 1_764_795_000) -> IntakeVerifier.Verdict {
        verifier.verify(header: { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }, body: Self.body, delivery: "d", now: now)
    }

    @Test func hexAndBase64SignaturesOfTheBody() throws {
        let hex = try verifier("auth = hmac-sha256\nsignature = header X-Sig hex\n")
        #expect(verdict(hex, ["X-Sig": "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"]) == .accepted)
        #expect(verdict(hex, ["x-sig": "F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8"]) == .accepted)
        #expect(verdict(hex, ["X-Sig": "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd9"]) == .unauthorized)
        #expect(verdict(hex, ["X-Sig": "f7bc83"]) == .unauthorized)
        #expect(verdict(hex, [:]) == .unauthorized)
        let base64 = try verifier("auth = hmac-sha256\nsignature = header X-Sig base64 prefix \"sha256=\"\n")
        #expect(verdict(base64, ["X-Sig": "sha256=97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="]) == .accepted)
        #expect(verdict(base64, ["X-Sig": "sha256=97yD9DBThCSxMpjmqm-xQ-9NWaFJRhdZl0edvC0aPNg"]) == .accepted)
        #expect(verdict(base64, ["X-Sig": "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="]) == .unauthorized, "the prefix is required")
    }

    @Test func aTimestampIsSignedAndMustBeRecent() throws {
        let signed = try verifier("auth = hmac-sha256\nsignature = header X-Sig base64\nsigned = timestamp \"\\n\" body\ntimestamp = header X-Ts within 2m\n")
        let good = ["X-Sig": "7hrcFdhPXsp2+uyvztMKLS9DCVKtwcloP6jFvGQy2jU=", "X-Ts": "1764795000"]
        #expect(verdict(signed, good) == .accepted)
        #expect(verdict(signed, good, now: 1_764_795_119) == .accepted)
        #expect(verdict(signed, good, now: 1_764_795_121) == .stale(seconds: 121))
        // Another timestamp is another signed text: a forged time fails the signature first.
        #expect(verdict(signed, ["X-Sig": good["X-Sig"]!, "X-Ts": "1764795100"], now: 1_764_795_100) == .unauthorized)
        #expect(IntakeTimestamp.instant("1764795000000") == 1_764_795_000)
        #expect(IntakeTimestamp.instant("2025-12-03T20:50:00.940Z") == 1_764_795_000)
    }

    @Test func aBearerSecret() throws {
        let bearer = try verifier("auth = bearer\n")
        #expect(verdict(bearer, ["Authorization": "Bearer key"]) == .accepted)
        #expect(verdict(bearer, ["Authorization": "Bearer kez"]) == .unauthorized)
        #expect(verdict(bearer, ["Authorization": "key"]) == .unauthorized)
        #expect(verdict(bearer, [:]) == .unauthorized)
    }
}
