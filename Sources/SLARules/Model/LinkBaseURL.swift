/// The checked `base-url` of `links { … }`: an absolute http(s) URL with a host and nothing that a link
/// cannot carry. Plain `http://` only for this machine (the demo); anywhere else the tokens would cross
/// the network in the clear. Parsed by hand: SLARules imports no URL library.
public struct LinkBaseURL: Sendable, Hashable {
    /// The URL without a trailing slash; the scheme and host lowercased.
    public let text: String
    public let host: String

    /// Hosts where `http://` is allowed: the loopback names the demo uses.
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "[::1]"]

    /// Why a written base URL is refused, with the sentence the diagnostic shows and its hint.
    public enum Problem: Error, Sendable, Equatable {
        case malformed(reason: String, hint: String)
        case insecure(host: String)
    }

    /// Characters a link may carry in its path: printable ASCII but what would end a link in Markdown,
    /// HTML or a chat client (space, quotes, angle brackets, parentheses, backslash, braces, `|`, `^`, backtick).
    public static func isURLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0x20 && scalar.value < 0x7F && !"\"'<>()\\{}|^`".unicodeScalars.contains(scalar)
    }

    public static func parse(_ written: String) -> Result<LinkBaseURL, Problem> {
        let example = "write base-url \"https://wy.example.com/slad\": the public address of the action pages"
        let lowered = written.lowercased()
        guard let scheme = ["https", "http"].first(where: { lowered.hasPrefix($0 + "://") }) else {
            return .failure(.malformed(reason: "'\(written)' is not an absolute http(s) URL", hint: example))
        }
        if let bad = written.unicodeScalars.first(where: { !isURLCharacter($0) }) {
            let what = bad.properties.isWhitespace ? "a space" : bad.isASCII ? "'\(bad)'" : "'\(bad)' (not ASCII)"
            return .failure(.malformed(reason: "the base URL contains \(what), which cannot be part of a link",
                                       hint: "percent-encode it (a space is %20, 翠苑 is %E7%BF%A0%E8%8B%91), or leave it out"))
        }
        if written.contains("?") {
            return .failure(.malformed(reason: "the base URL has a query ('?…'); links are BASE/a/TOKEN and carry nothing after it",
                                       hint: "remove the '?' and what follows"))
        }
        if written.contains("#") {
            return .failure(.malformed(reason: "the base URL has a fragment ('#…'); links are BASE/a/TOKEN",
                                       hint: "remove the '#' and what follows"))
        }
        let rest = written.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        if authority.contains("@") {
            return .failure(.malformed(reason: "the base URL carries a user name or password ('…@')",
                                       hint: "leave credentials out of links: everyone who receives a notice would read them"))
        }
        guard let host = splitHost(authority) else {
            return .failure(.malformed(reason: "'\(authority)' is not a host name with an optional port", hint: example))
        }
        if scheme == "http", !loopbackHosts.contains(host) {
            return .failure(.insecure(host: host))
        }
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return .success(LinkBaseURL(text: scheme + "://" + authority.lowercased() + trimmed, host: host))
    }

    /// The host of `host[:port]` or `[v6][:port]`, lowercased; nil when either part is not well formed.
    static func splitHost(_ authority: Substring) -> String? {
        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                port = after.dropFirst()
            }
            guard host.count > 2, host.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            guard !host.isEmpty, !host.hasPrefix("."), !host.hasPrefix("-"),
                  host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else { return nil }
        }
        if let port {
            guard let number = Int(port), (1...65535).contains(number), port.allSatisfy(\.isNumber) else { return nil }
        }
        return host.lowercased()
    }
}
