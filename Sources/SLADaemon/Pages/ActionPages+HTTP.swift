import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ActionPages {
    /// The headers every answer of the public listener carries: nothing cached or referred on, no
    /// scripts, no frames, forms only to this site.
    static let securityHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("X-Robots-Tag")!: "noindex, nofollow",
    ]

    static func response(_ page: ActionPage, status: HTTPResponse.Status, extra: HTTPFields, head: Bool) -> Response {
        var headers = securityHeaders
        headers.append(contentsOf: extra)
        let html = ByteBuffer(string: page.html())
        headers[.contentLength] = "\(html.readableBytes)"
        return Response(status: status, headers: headers, body: head ? .init() : .init(byteBuffer: html))
    }

    /// The token of `/a/{token}`, if the path is that and the token could be one: base64url characters
    /// only, 8 to `maxTokenLength` of them. Anything else is refused before the desk sees it.
    static func token(in path: String) -> String? {
        guard path.hasPrefix("/a/") else { return nil }
        let token = path.dropFirst(3)
        guard (8...maxTokenLength).contains(token.utf8.count),
              token.utf8.allSatisfy({ Self.base64URL.contains($0) }) else { return nil }
        return String(token)
    }

    private static let base64URL: Set<UInt8> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// A short, one-way fingerprint of a token for the log (FNV-1a, 32 bits): enough to match two lines
    /// about the same link, useless for rebuilding it.
    static func fingerprint(_ token: String) -> String {
        var hash: UInt32 = 0x811c_9dc5
        for byte in token.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The request body, or nil when it is larger than `limit` bytes (said by Content-Length or found
    /// while reading).
    static func body(_ request: Request, limit: Int) async -> String? {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return nil }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: limit) else { return nil }
        return String(buffer: buffer)
    }
}

/// The POST's body, `application/x-www-form-urlencoded`.
enum FormBody {
    static func value(of field: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, decode(parts[0]) == field else { continue }
            return decode(parts[1])
        }
        return nil
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// Whether a POST comes from this site's own page. A browser says where a request comes from in
/// `Sec-Fetch-Site` and `Origin`: `cross-site` is refused, and so is an `Origin` naming another host. With
/// `Referrer-Policy: no-referrer` a browser sends `Origin: null` for the page's own form, so `null` is
/// allowed unless `Sec-Fetch-Site` says cross-site; the form value is the check that holds either way.
enum SameSite {
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!

    static func allows(_ headers: HTTPFields, authority: String?, viaProxy: Bool) -> Bool {
        if headers[fetchSite]?.lowercased() == "cross-site" { return false }
        guard let origin = headers[.origin], origin != "null" else { return true }
        guard let host = URLComponents(string: origin)?.host.map({ $0.lowercased() }) else { return false }
        var names = [authority]
        if viaProxy { names.append(headers[forwardedHost]) }
        return names.compactMap { $0 }.contains { hostName(of: $0) == host }
    }

    /// `example.com:8443` → `example.com`; `[::1]:8081` → `::1`.
    static func hostName(of authority: String) -> String {
        let authority = authority.split(separator: ",").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? authority
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end]).lowercased()
        }
        return String(authority.split(separator: ":").first ?? "").lowercased()
    }
}
