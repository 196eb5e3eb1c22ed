import Foundation

/// An HTTP forward proxy for the notices' outgoing HTTP (`slad serve --egress-proxy`, or the environment
/// variable SLAD_EGRESS_PROXY; docs/operations.md, "Egress"). The unit's `IPAddressAllow=` cannot name a
/// vendor's hostname, so a host that must not reach the internet at large lets slad reach only the proxy,
/// and the proxy decides which hosts are allowed. AsyncHTTPClient opens a CONNECT tunnel through it for
/// http:// and https:// targets alike (with https, TLS stays end to end: the proxy sees the hostname only).
public struct EgressProxy: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    /// Reads `http://[USER:PASSWORD@]HOST:PORT` (a trailing "/" is allowed; nothing else after the port).
    public init(parsing text: String) throws(EgressProxyError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), components.scheme?.lowercased() == "http" else {
            throw EgressProxyError(text: text, reason: "expected http://HOST:PORT (the proxy itself is spoken to in plain HTTP; https:// targets go through it with CONNECT)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw EgressProxyError(text: text, reason: "no host: expected http://HOST:PORT")
        }
        guard let port = components.port, (1...65535).contains(port) else {
            throw EgressProxyError(text: text, reason: "no port or a port outside 1–65535: expected http://HOST:PORT, e.g. http://10.0.0.5:3128")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw EgressProxyError(text: text, reason: "a proxy address has no path, query or fragment: expected http://HOST:PORT")
        }
        self.host = host
        self.port = port
        username = components.user.flatMap { $0.removingPercentEncoding ?? $0 }
        password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
    }

    /// The address without the credentials, for logs.
    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

public struct EgressProxyError: Error, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String {
        // The value is not repeated when it may hold a password.
        let shown = text.contains("@") ? "(value not shown: it holds credentials)" : "'\(text)'"
        return "egress proxy \(shown): \(reason)"
    }
}
