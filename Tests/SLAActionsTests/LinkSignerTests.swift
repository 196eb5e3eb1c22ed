import Testing
@testable import SLAActions

/// Tokens: minted, verified, refused when any byte or field changes, rotated keys, expiry, form values.
struct LinkSignerTests {
    static let key = [UInt8](repeating: 0x41, count: 32)
    static let oldKey = [UInt8](repeating: 0x42, count: 32)
    static let claim = LinkClaim(subject: .ticket, subjectID: "T-20261203-0001", step: "respond-warn", action: .acknowledge,
                                 person: "wangqiang", expiresAt: 1_800_000_000)

    static func signer(_ key: [UInt8] = key, old: [[UInt8]] = []) throws -> LinkSigner {
        LinkSigner(keys: try LinkKeys(key: key, oldKeys: old))
    }

    @Test func aTokenIsShortURLSafeAndVerifies() throws {
        let signer = try Self.signer()
        let token = signer.mint(Self.claim)
        #expect(token.text.count == 24)
        #expect(token.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let parsed = try #require(LinkToken(token.text))
        #expect(parsed == token)
        #expect(parsed.id.count == 12)
        #expect(signer.verdict(parsed, claim: Self.claim, now: 1_700_000_000) == .valid)
        #expect(signer.mint(Self.claim) != token, "every token has its own nonce")
    }

    @Test(arguments: 0..<24) func anyAlteredCharacterIsRefused(position: Int) throws {
        let signer = try Self.signer()
        let text = Array(signer.mint(Self.claim).text)
        var altered = text
        altered[position] = altered[position] == "A" ? "B" : "A"
        // An altered nonce no longer finds the row (or finds another); an altered tag no longer verifies.
        if let token = LinkToken(String(altered)) {
            #expect(signer.verdict(token, claim: Self.claim, now: 0) == .invalid)
        }
    }

    @Test func everyFieldIsSigned() throws {
        let signer = try Self.signer()
        let token = signer.mint(Self.claim)
        var changes: [LinkClaim] = []
        for change in [
            { (claim: inout LinkClaim) in claim.subject = .incident },
            { $0.subjectID = "T-20261203-0002" },
            { $0.step = "respond" },
            { $0.action = .resolve },
            { $0.person = "zhangwei" },
            { $0.expiresAt += 1 },
        ] as [(inout LinkClaim) -> Void] {
            var claim = Self.claim
            change(&claim)
            changes.append(claim)
        }
        for claim in changes {
            #expect(signer.verdict(token, claim: claim, now: 0) == .invalid, "\(claim)")
        }
        // Length prefixes: moving a character from one field to the next changes the tag.
        var shifted = Self.claim
        shifted.subjectID = "T-20261203-000"
        shifted.step = "1respond-warn"
        #expect(signer.verdict(token, claim: shifted, now: 0) == .invalid)
    }

    @Test func aWrongKeyRefusesAndAnOldKeyStillVerifies() throws {
        let before = try Self.signer(Self.oldKey)
        let token = before.mint(Self.claim)
        #expect(try Self.signer().verdict(token, claim: Self.claim, now: 0) == .invalid)
        let rotated = try Self.signer(Self.key, old: [Self.oldKey])
        #expect(rotated.verdict(token, claim: Self.claim, now: 0) == .valid)
        // New links are signed with the new key only: once the old key is gone they still verify.
        let fresh = rotated.mint(Self.claim)
        #expect(try Self.signer().verdict(fresh, claim: Self.claim, now: 0) == .valid)
        #expect(before.verdict(fresh, claim: Self.claim, now: 0) == .invalid)
    }

    @Test func expiryIsCheckedAfterTheSignature() throws {
        let signer = try Self.signer()
        let token = signer.mint(Self.claim)
        #expect(signer.verdict(token, claim: Self.claim, now: Self.claim.expiresAt) == .valid)
        #expect(signer.verdict(token, claim: Self.claim, now: Self.claim.expiresAt + 1) == .expired)
        // A forged token past the expiry is invalid, not expired: nothing tells a forger the fields were right.
        let forged = try #require(LinkToken(String(repeating: "A", count: 24)))
        #expect(signer.verdict(forged, claim: Self.claim, now: Self.claim.expiresAt + 1) == .invalid)
    }

    @Test func notATokenIsNotParsed() {
        for text in ["", "short", String(repeating: "A", count: 23), String(repeating: "A", count: 25),
                     String(repeating: "A", count: 23) + "=", String(repeating: "A", count: 23) + "+", "../../etc/passwd-AAAAAAAA"] {
            #expect(LinkToken(text) == nil, "\(text)")
        }
    }

    @Test func theFormValueIsBoundToTheTokenAndTheKey() throws {
        let signer = try Self.signer()
        let token = signer.mint(Self.claim).text
        let other = signer.mint(Self.claim).text
        let value = try #require(signer.formValue(token: token))
        #expect(signer.checkFormValue(value, token: token))
        #expect(!signer.checkFormValue(value, token: other))
        #expect(!signer.checkFormValue(try #require(signer.formValue(token: other)), token: token))
        #expect(!(try Self.signer(Self.oldKey)).checkFormValue(value, token: token))
        #expect(try Self.signer(Self.oldKey, old: [Self.key]).checkFormValue(value, token: token), "a reload between page and press")
        #expect(signer.formValue(token: "not-a-token") == nil)
        // Not the tag: the form value is an HMAC under its own label.
        #expect(!value.hasPrefix(String(token.suffix(12))))
    }

    @Test func constantTimeEqualCompares() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([9, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2], [1, 2, 3]))
        #expect(ConstantTime.equal([UInt8](), []))
    }

    @Test func base64URLRoundTripsAndIsStrict() {
        for count in 0..<20 {
            let bytes = (0..<count).map { UInt8(($0 * 37 + 11) & 0xFF) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.decode("AB") == nil, "stray bits in the last character")
        #expect(Base64URL.decode("AA==") == nil)
    }
}

/// Key material: hex, base64, or a long passphrase; anything shorter than 32 bytes is refused with what would do.
struct LinkKeysTests {
    @Test func hexBase64AndTextAreRead() throws {
        let hex = String(repeating: "0f", count: 32)
        #expect(try LinkKeys.material(from: hex) == [UInt8](repeating: 0x0F, count: 32))
        let base64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="   // bytes 0…31
        #expect(try LinkKeys.material(from: base64) == Array(0..<32))
        #expect(try LinkKeys.material(from: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8") == Array(0..<32))
        let phrase = "物业 slad 链接密钥 correct horse battery"
        #expect(try LinkKeys.material(from: phrase) == Array(phrase.utf8))
        #expect(try LinkKeys.material(from: hex + "\n") == [UInt8](repeating: 0x0F, count: 32), "a credential file's newline")
    }

    @Test func shortKeysAreRefusedWithWhatWouldDo() throws {
        let error = #expect(throws: LinkKeyError.self) { try LinkKeys.material(from: String(repeating: "ab", count: 16)) }
        #expect(error?.description.contains("64 hex digits") == true)
        let short = #expect(throws: LinkKeyError.self) { try LinkKeys(keyText: "secret") }
        #expect(short?.description == "links: 'key' cannot sign links: it is 6 bytes; a key needs at least 32 bytes: 64 hex digits, "
            + "44 base64 characters or a passphrase of 32 characters or more (make one with `openssl rand -hex 32`)")
        let old = #expect(throws: LinkKeyError.self) { try LinkKeys(keyText: String(repeating: "k", count: 40), oldKeyTexts: ["hunter2"]) }
        #expect(old?.setting == "old-key")
        #expect(old?.description.contains("hunter2") == false, "the key's text is never shown")
    }
}
