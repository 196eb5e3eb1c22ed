import Foundation
import SLAActions

/// Who may call what on the API (docs/security.md): the tokens it accepts and whether reads are open.
/// Pure: no I/O, so the rule is tested with any tokens and any "is loopback" decision.
public struct AccessPolicy: Sendable {
    public let tokens: [APIToken]
    /// Reads answer without a token: the API is bound to loopback, or `--open-reads` was given.
    public let openReads: Bool

    public init(tokens: [APIToken], openReads: Bool) {
        self.tokens = tokens
        self.openReads = openReads
    }

    /// What a request may do, decided before its handler runs.
    public enum Decision: Equatable, Sendable {
        /// Let it through; `token` is the one it came with, if any.
        case allow(token: APIToken?)
        /// 401: no token, or not one of ours.
        case unauthenticated
        /// 403: a known token whose role is below the one needed.
        case forbidden(token: APIToken, needs: APIRole)
        /// 403: writes need a token and none is configured.
        case writesDisabled
    }

    /// The decision for a request needing `role` (nil: open to all, like /healthz) with this Authorization header.
    public func decide(needs role: APIRole?, authorization: String?) -> Decision {
        let token = self.token(for: authorization)
        guard let role else { return .allow(token: token) }
        if role == .read, openReads { return .allow(token: token) }
        if tokens.isEmpty, role > .read { return .writesDisabled }
        guard let token else { return .unauthenticated }
        return token.role >= role ? .allow(token: token) : .forbidden(token: token, needs: role)
    }

    /// The token an `Authorization: Bearer TOKEN` header names: its SHA-256 is compared with every
    /// token's in constant time, all of them every time, so timing tells nothing about which nearly matched.
    public func token(for authorization: String?) -> APIToken? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        let digest = APIToken.digest(of: String(authorization.dropFirst(7)))
        var found: APIToken?
        for token in tokens where ConstantTime.equal(token.digest, digest) && found == nil { found = token }
        return found
    }

    /// Whether `host` (the API's `--host`) only accepts connections from this machine: 127.0.0.0/8, ::1,
    /// `localhost`. A name that needs resolving is not assumed to be loopback.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }
}
