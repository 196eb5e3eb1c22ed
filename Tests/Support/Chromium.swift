import Foundation
import Testing

/// Debian's `chromium` (installed by scripts/install-deps) run headless, for the tests that look at a page
/// as a browser draws it (the HTML report, the action pages). `SLAD_CHROMIUM=PATH` names the browser when
/// it is not on PATH; `SLAD_SKIP_BROWSER=1` lets suites skip.
public enum Chromium {
    public static var skipped: Bool { ProcessInfo.processInfo.environment["SLAD_SKIP_BROWSER"] == "1" }

    public static func find() -> String? {
        if let path = ProcessInfo.processInfo.environment["SLAD_CHROMIUM"] {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }

    /// Runs the browser with `arguments`, killing it after `timeout` seconds; returns its standard output.
    public static func run(_ browser: String, _ arguments: [String], profile: URL, timeout: Double = 90) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        // --no-sandbox: the sandbox cannot start as root (CI containers); the pages have no scripts anyway.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--hide-scrollbars", "--user-data-dir=\(profile.path)"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A browser that hangs (a page that never answers) is killed: its output then ends.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        var data = Data()
        let reader = output.fileHandleForReading
        // Read as it comes so that a large DOM never fills the pipe and blocks the browser.
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The browser, or nil after recording why the test cannot run.
    public static func required() -> String? {
        guard let browser = find() else {
            Issue.record("chromium is not installed: run scripts/install-deps (or set SLAD_SKIP_BROWSER=1 to skip the browser tests)")
            return nil
        }
        return browser
    }

    /// `SLAD_KEEP_BROWSER_OUTPUT=DIR` keeps pages and screenshots in DIR for a look.
    public static var keptOutput: URL? {
        ProcessInfo.processInfo.environment["SLAD_KEEP_BROWSER_OUTPUT"].map { URL(fileURLWithPath: $0) }
    }

    /// A folder for one test's pages and screenshots (the kept one, else a new temporary one), removed
    /// after `body` unless kept.
    public static func withFolder<T>(_ prefix: String, _ body: (URL) async throws -> T) async throws -> T {
        let folder = keptOutput ?? FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keptOutput == nil { try? FileManager.default.removeItem(at: folder) } }
        return try await body(folder)
    }

    /// Runs blocking work (the browser, a socket read) on a thread of its own and awaits it: blocking a
    /// thread of Swift's small cooperative pool could starve the in-process server the browser is waiting for.
    public static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Width and height of a PNG, from its header.
    public static func pngSize(_ bytes: Data) -> (width: Int, height: Int)? {
        guard bytes.count > 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        let array = [UInt8](bytes.prefix(24))
        return (array[16..<20].reduce(0) { $0 << 8 | Int($1) }, array[20..<24].reduce(0) { $0 << 8 | Int($1) })
    }
}
