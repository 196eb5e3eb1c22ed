import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The 看板 as an HTML response: the view drawn by the template, with headers that keep the page to
/// itself — a Content-Security-Policy that allows only this page's own script (by its hash), inline
/// styles and requests back to slad, so nothing is ever loaded from another origin.
enum DashboardPage {
    static func html(_ view: DashboardView, refresh: Int) -> String {
        template.render(Model(view: view, title: view.title, refresh: refresh))
    }

    static func response(_ view: DashboardView, refresh: Int) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html(view, refresh: refresh))))
    }

    static let contentSecurityPolicy: String = {
        let hash = Data(SHA256.hash(data: Data(DashboardTemplate.script.utf8))).base64EncodedString()
        return "default-src 'none'; script-src 'sha256-\(hash)'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    }()

    private struct Model {
        let view: DashboardView
        let title: String
        let refresh: Int
    }

    private static let template: MustacheTemplate = {
        do {
            return try MustacheTemplate(string: DashboardTemplate.text)
        } catch {
            fatalError("the dashboard template does not parse: \(error)")
        }
    }()
}
