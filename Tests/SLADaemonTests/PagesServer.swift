import Foundation
import Logging
import SLAActions
import SLADaemon
import ServiceLifecycle
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The public listener on a free loopback port, run in-process for one test, and a small HTTP client.
/// The rate limiter's clock stands still unless a test moves it: a loaded machine never refills a bucket
/// between two requests of a test.
struct PagesServer {
    let port: Int

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: String

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static func with(_ desk: any ActionDesk, configuration: PublicListenerConfiguration = .init(port: 0),
                     logger: Logger = Logger(label: "pages-test", factory: { _ in SwiftLogNoOpLogHandler() }),
                     monotonic: @escaping @Sendable () -> Double = { 0 },
                     _ body: @Sendable (PagesServer) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = PublicListener.service(configuration, desk: desk, clock: SystemClock(), logger: logger, monotonic: monotonic, onRunning: { port in
            continuation.yield(port)
        })
        try await InProcessService.run(service, ports: ports, logger: logger) { port in try await body(PagesServer(port: port)) }
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func request(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        if body != nil { request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as? HTTPURLResponse
                var headers: [String: String] = [:]
                for (name, value) in http?.allHeaderFields ?? [:] { headers["\(name)"] = "\(value)" }
                continuation.resume(returning: Reply(status: http?.statusCode ?? 0, headers: headers,
                                                     body: String(decoding: data ?? Data(), as: UTF8.self)))
            }.resume()
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await request("GET", path, headers: headers)
    }

    /// The page's own form, as a browser on this page would send it.
    func post(_ path: String, check: String?, headers: [String: String] = [:]) async throws -> Reply {
        let body = check.map { "check=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return try await request("POST", path, body: body, headers: headers)
    }
}

/// Every log record, as text, for the tests that prove what never reaches a log.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String] = []

    var lines: [String] { lock.withLock { records } }

    func append(_ line: String) { lock.withLock { records.append(line) } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "pages-test") { _ in CaptureHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            capture.append("\(event.level) \(event.message) \(all) \(event.source) \(event.error.map { "\($0)" } ?? "")")
        }
    }
}
