import Crypto
import Foundation

/// What a token may do on the API (docs/security.md). Each role includes the ones before it.
public enum APIRole: String, Sendable, CaseIterable, Comparable {
    /// GETs: tickets, incidents, reports, the 看板, /metrics (dashboards, Grafana, Prometheus).
    case read
    /// Tickets, events, incidents, pauses: the POSTs of daily work.
    case operate
    /// Everything, including the outbox's retry and drop.
    case admin

    public static func < (lhs: APIRole, rhs: APIRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One bearer token the API accepts: a name the audit log records, a role, and the SHA-256 of the secret
/// (the secret itself is not kept once hashed, so it cannot end up in a log or a dump by mistake).
public struct APIToken: Sendable, Hashable {
    public let name: String
    public let role: APIRole
    /// SHA-256 of the token's bytes.
    public let digest: [UInt8]

    public init(name: String, role: APIRole, digest: [UInt8]) {
        self.name = name
        self.role = role
        self.digest = digest
    }

    /// A token given in clear (an environment variable, a credential, a line of a tokens file).
    public init(name: String, role: APIRole, secret: String) {
        self.init(name: name, role: role, digest: Self.digest(of: secret))
    }

    public static func digest(of secret: String) -> [UInt8] { Array(SHA256.hash(data: Data(secret.utf8))) }

    /// The name of the single token of `--token-env` / `--token-credential`, which is an admin token.
    public static let defaultName = "default"

    /// The token the request being answered came with (set by the access check for its handler).
    @TaskLocal public static var current: APIToken?
}
