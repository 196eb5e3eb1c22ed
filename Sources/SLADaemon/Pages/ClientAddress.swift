import Foundation
import HTTPTypes
import NIOCore

/// Whose request it is, for the rate limit and the log. The peer's address, unless the peer is this host
/// (a reverse proxy on loopback): then the proxy's `X-Forwarded-For` (its last hop, the address the proxy
/// itself saw) or `X-Real-IP`. From any other peer those headers are ignored: anyone can send them.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let realIP = HTTPField.Name("X-Real-IP")!

    static func resolve(peer: SocketAddress?, headers: HTTPFields) -> String {
        let address = peer?.ipAddress ?? "unknown"
        guard isLoopback(address) else { return address }
        if let hop = headers[values: forwardedFor].last?.split(separator: ",").last.map(trimmed), let hop = plausible(hop) {
            return hop
        }
        if let real = headers[realIP].map(trimmed), let real = plausible(real) { return real }
        return address
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    private static func trimmed(_ text: some StringProtocol) -> String {
        String(text).trimmingCharacters(in: .whitespaces)
    }

    /// An IPv4 or IPv6 address as a proxy writes it (hex digits, dots, colons; a bracketed IPv6 with a
    /// port is cut to the address): anything else falls back to the peer, so a header cannot grow the
    /// rate limiter's table with made-up keys of any length.
    private static func plausible(_ text: String) -> String? {
        var text = Substring(text)
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { text = text[text.index(after: text.startIndex)..<end] }
        guard (2...45).contains(text.count), text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        return String(text)
    }
}
