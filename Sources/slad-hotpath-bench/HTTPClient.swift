import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The driver's side of HTTP: URLSession, as `slad import` uses it. One session with keep-alive connections.
struct HTTPClient: Sendable {
    let base: String
    let token: String?

    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> (status: Int, data: Data) {
        guard let url = URL(string: base + path) else { throw BenchError("not a URL: \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 300
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Sends and insists on `expected`; otherwise the error names the call and quotes the answer.
    func expect(_ expected: Int, _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Data {
        let (status, data) = try await send(method, path, body: body, headers: headers)
        guard status == expected else {
            throw BenchError("\(method) \(path): HTTP \(status), expected \(expected): \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return data
    }
}
