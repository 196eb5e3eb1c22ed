import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running `slad serve` over its HTTP API, for the operator commands.
struct DaemonClient: Sendable {
    let base: URL
    let token: String?

    struct Failure: Error, CustomStringConvertible {
        let status: Int
        let message: String
        var description: String { status == 0 ? message : "HTTP \(status): \(message)" }
    }

    init(server: String, token: String?) throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https" else {
            throw Failure(status: 0, message: "'\(server)' is not an http:// address")
        }
        base = url
        self.token = token
    }

    func get(_ path: String) async throws -> Any {
        try await send("GET", path, body: nil, headers: [:])
    }

    func post(_ path: String, _ object: Any, headers: [String: String] = [:]) async throws -> Any {
        try await send("POST", path, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
    }

    /// A POST whose success status matters: 201 for a ticket created, 200 for one already there (the
    /// same `Idempotency-Key`).
    func postWithStatus(_ path: String, _ object: Any, headers: [String: String] = [:]) async throws -> (status: Int, answer: Any) {
        let (data, status) = try await exchangeWithStatus("POST", path, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data)) ?? [:])
    }

    /// A document the API answers as text (a report in Markdown, JSON or HTML).
    func getText(_ path: String) async throws -> String {
        String(decoding: try await exchange("GET", path, body: nil, headers: [:]), as: UTF8.self)
    }

    private func send(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> Any {
        let data = try await exchange(method, path, body: body, headers: headers)
        return (try? JSONSerialization.jsonObject(with: data)) ?? [:]
    }

    private func exchange(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> Data {
        try await exchangeWithStatus(method, path, body: body, headers: headers).data
    }

    private func exchangeWithStatus(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> (data: Data, status: Int) {
        guard let url = URL(string: path, relativeTo: base) else { throw Failure(status: 0, message: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(status: 0, message: "cannot reach slad at \(base.absoluteString): \(error.localizedDescription); is 'slad serve' running? (--server, SLAD_SERVER)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let object = (try? JSONSerialization.jsonObject(with: data)) ?? [:]
            let error = (object as? [String: Any])?["error"] as? [String: Any]
            throw Failure(status: status, message: Self.message(error) ?? String(decoding: data, as: UTF8.self))
        }
        return (data, status)
    }

    /// An answer's `error` for people: `field: message`, or refused values one per line ("grade: 'D' is
    /// not …" then "  priority: 'rush' is not …"). Nil when there is no message.
    static func message(_ error: [String: Any]?) -> String? {
        if let refused = error?["refused"] as? [[String: Any]], !refused.isEmpty {
            return refused.map { "\($0["field"] as? String ?? "?"): \($0["message"] as? String ?? "")" }.joined(separator: "\n  ")
        }
        guard let message = error?["message"] as? String else { return nil }
        return (error?["field"] as? String).map { "\($0): " }.map { $0 + message } ?? message
    }
}
