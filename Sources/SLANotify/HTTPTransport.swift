import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A request a notifier wants sent. Notifiers build these; the transport sends them. Keeping the two
/// apart lets the tests check every vendor's request without a network.
public struct OutgoingRequest: Sendable, Equatable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String = "POST", url: URL, headers: [(String, String)] = [], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0):\($0.1)" } == rhs.headers.map { "\($0.0):\($0.1)" }
    }
}

public enum HTTPResult: Sendable {
    case response(status: Int, headers: [String: String], body: [UInt8])
    /// No answer: refused, reset, timed out. Always worth a retry.
    case failed(String)
}

public protocol HTTPTransport: Sendable {
    func send(_ request: OutgoingRequest, timeout: Double) async -> HTTPResult
}

/// Which HTTP client delivers (`slad serve --http-client`; docs/adr/0018).
public enum HTTPClientChoice: String, Sendable, CaseIterable {
    /// AsyncHTTPClient on SwiftNIO, a per-host pool of kept-alive connections (the default).
    case nio
    /// Foundation's URLSession (libcurl underneath).
    case urlsession

    /// The transport; `proxy` (`--egress-proxy`) is taken by the nio client only (`slad serve` refuses it
    /// with urlsession, whose libcurl reads `https_proxy` from the environment instead).
    public func transport(proxy: EgressProxy? = nil) -> any HTTPTransport {
        switch self {
        case .nio: AsyncHTTPTransport(proxy: proxy)
        case .urlsession: URLSessionTransport()
        }
    }
}

/// Foundation's URLSession (FoundationNetworking on Linux): no extra package to build.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil   // never a cached answer; and no cache lookup on every delivery
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: OutgoingRequest, timeout: Double) async -> HTTPResult {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        if request.method != "GET" { urlRequest.httpBody = Data(request.body) }
        let session = self.session
        return await withCheckedContinuation { continuation in
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    continuation.resume(returning: .failed(error.localizedDescription))
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(returning: .failed("no HTTP response"))
                    return
                }
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    headers[String(describing: key).lowercased()] = String(describing: value)
                }
                continuation.resume(returning: .response(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
            }
            task.resume()
        }
    }
}

/// The rules every HTTP channel shares: 2xx delivered; 408, 425, 429 and 5xx retried (honouring
/// `Retry-After`); any other status permanent; no answer retried.
public enum HTTPOutcome {
    public static func classify(_ result: HTTPResult, now: Date = Date()) -> DeliveryOutcome {
        switch result {
        case let .failed(reason):
            return .retry(reason: "no answer: \(reason)", after: nil)
        case let .response(status, headers, body):
            if (200..<300).contains(status) { return .delivered }
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
            if [408, 425, 429].contains(status) || (500..<600).contains(status) {
                return .retry(reason: "HTTP \(status) \(snippet)", after: retryAfter(headers["retry-after"], now: now))
            }
            return .permanent(reason: "HTTP \(status) \(snippet)")
        }
    }

    /// `Retry-After` as delta-seconds or an HTTP-date; nil when absent or unreadable.
    public static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// For the robots: HTTP 200 with an error code in the JSON body. `retryCodes` are the vendor's
    /// "too fast"/"busy" codes.
    public static func classifyRobot(_ result: HTTPResult, codeKey: String, retryCodes: Set<Int>, now: Date = Date()) -> DeliveryOutcome {
        let http = classify(result, now: now)
        guard http == .delivered, case let .response(_, _, body) = result else { return http }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return .permanent(reason: "unreadable reply: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        let code = (object[codeKey] as? NSNumber)?.intValue ?? (object["StatusCode"] as? NSNumber)?.intValue ?? 0
        if code == 0 { return .delivered }
        let message = (object["errmsg"] ?? object["msg"]).map { "\($0)" } ?? ""
        return retryCodes.contains(code) ? .retry(reason: "\(codeKey) \(code) \(message)", after: nil)
                                         : .permanent(reason: "\(codeKey) \(code) \(message)")
    }
}

/// Builds JSON bodies with Foundation's `JSONEncoder`: every string is escaped by it, never by hand.
/// (`JSONSerialization` wrote the same bytes, but took about ten times as long — 90 µs for a webhook body on
/// Linux, where sorting the keys goes through ICU collation — a good part of a delivery's cost.) Keys are
/// sorted by their bytes.
public enum JSONBody {
    public static func encode(_ object: [String: Any]) -> [UInt8] {
        if let written = JSONWriter.write(object) { return written }
        return encodeWithFoundation(object)
    }

    /// The reference (and the way for trees `JSONWriter` does not take).
    static func encodeWithFoundation(_ object: [String: Any]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(JSONValue(object))).map(Array.init) ?? Array("{}".utf8)
    }
}

/// The values the notifiers put in JSON bodies, as an `Encodable` tree.
enum JSONValue: Encodable {
    case string(String), bool(Bool), int(Int), double(Double), array([JSONValue]), object([String: JSONValue]), null

    init(_ value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let flag as Bool: self = .bool(flag)
        case let number as Int: self = .int(number)
        case let number as Int64: self = .int(Int(number))
        case let number as Double: self = .double(number)
        case let items as [Any]: self = .array(items.map(JSONValue.init))
        case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init))
        default: self = .null
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(text): try container.encode(text)
        case let .bool(flag): try container.encode(flag)
        case let .int(number): try container.encode(number)
        case let .double(number): try container.encode(number)
        case let .array(items): try container.encode(items)
        case let .object(object): try container.encode(object)
        case .null: try container.encodeNil()
        }
    }
}
