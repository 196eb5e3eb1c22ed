import Crypto
import Foundation

/// Mints and verifies action-link tokens, and the per-page form value, with HMAC-SHA256 (docs/adr/0006).
///
/// A token is a random nonce and a truncated tag over the link's fields and that nonce; the fields stay
/// in the store, keyed by the nonce, so the token is 24 characters whatever the ids are. Verifying
/// recomputes the tag with the signing key, then each old key, and compares in constant time.
public struct LinkSigner: Sendable {
    public let keys: LinkKeys

    public init(keys: LinkKeys) {
        self.keys = keys
    }

    /// What checking a token against its stored fields came to.
    public enum Verdict: Sendable, Hashable {
        case valid
        /// Signed by a key held, but past its expiry.
        case expired
        /// Not signed by any key held (forged, altered, or its key was removed).
        case invalid
    }

    /// A new token for `claim`, with a fresh random nonce.
    public func mint(_ claim: LinkClaim) -> LinkToken {
        var generator = SystemRandomNumberGenerator()
        return mint(claim, using: &generator)
    }

    public func mint(_ claim: LinkClaim, using generator: inout some RandomNumberGenerator) -> LinkToken {
        let nonce = (0..<LinkToken.nonceBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return LinkToken(nonce: nonce, tag: Self.tag(claim, nonce: nonce, key: keys.signing))
    }

    /// Whether `token` was minted for exactly `claim` by a key held, and whether it is still in date.
    public func verdict(_ token: LinkToken, claim: LinkClaim, now: Int) -> Verdict {
        guard verifies(token, claim: claim) else { return .invalid }
        return now > claim.expiresAt ? .expired : .valid
    }

    /// True when some held key's tag for `claim` equals the token's, compared in constant time.
    public func verifies(_ token: LinkToken, claim: LinkClaim) -> Bool {
        var matched = false
        for key in keys.verifying {
            // Every key is tried, so the time taken does not say which key (if any) matched.
            matched = ConstantTime.equal(Self.tag(claim, nonce: token.nonce, key: key), token.tag) || matched
        }
        return matched
    }

    /// The value a page's form carries: an HMAC of a label distinct from the tag's and the token's text,
    /// made with the signing key. Nil for text that is not a token.
    public func formValue(token: String) -> String? {
        guard LinkToken(token) != nil else { return nil }
        return Base64URL.encode(Self.formBytes(token: token, key: keys.signing))
    }

    /// Whether a posted form value belongs to `token` (under any key held: a reload between the page and
    /// the press still works), compared in constant time.
    public func checkFormValue(_ value: String, token: String) -> Bool {
        guard LinkToken(token) != nil, let posted = Base64URL.decode(value) else { return false }
        var matched = false
        for key in keys.verifying {
            matched = ConstantTime.equal(Self.formBytes(token: token, key: key), posted) || matched
        }
        return matched
    }

    static func tag(_ claim: LinkClaim, nonce: [UInt8], key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: claim.signedBytes(nonce: nonce), using: key).prefix(LinkToken.tagBytes))
    }

    static func formBytes(token: String, key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("slad-form-v1\u{0}".utf8) + Array(token.utf8), using: key).prefix(16))
    }
}
