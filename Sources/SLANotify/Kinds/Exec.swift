import Foundation
import SLARules

/// `exec`: runs a configured program — `command "/usr/local/bin/siren", "--zone", "3"`, an argument
/// array, never through a shell — with the notice as JSON on standard input
/// (`{id, ticket, channel, title, text, recipients, created_at}`, and `actions: [{person, label, url}]` when
/// the notice carries action links). Exit 0: delivered; 75 (EX_TEMPFAIL)
/// or no exit within `timeout` (the program is killed): retried; any other status: permanent.
public struct ExecNotifier: Notifier {
    public static let kind = "exec"
    let arguments: [String]
    let timeout: Double

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        arguments = settings.list("command")
        guard let program = arguments.first, program.hasPrefix("/") else {
            throw NotifierSetupError("channel '\(channel.name)': 'command' must start with an absolute path to a program")
        }
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw NotifierSetupError("channel '\(channel.name)': \(program) is not an executable file")
        }
        timeout = channel.timeoutSeconds
    }

    public static func input(for notice: Notice) -> [UInt8] {
        var object: [String: Any] = [
            "id": notice.idempotencyKey, "ticket": notice.ticketID, "channel": notice.channel, "title": notice.title,
            "text": Escaping.normalizedLines(notice.text), "created_at": notice.createdAt,
            "recipients": notice.recipients.map { recipient -> [String: Any] in
                var object: [String: Any] = ["person": recipient.person]
                if let name = recipient.name { object["name"] = name }
                if let address = recipient.address { object["address"] = address }
                return object
            },
        ]
        let actions = ActionLinks.jsonObjects(notice)
        if !actions.isEmpty { object["actions"] = actions }
        return JSONBody.encode(object)
    }

    /// A program that exits without reading its standard input must not kill slad with SIGPIPE when the
    /// notice is written to it: the write fails instead. (SwiftNIO ignores SIGPIPE the same way, process-wide,
    /// as soon as the daemon opens a socket; this covers the time before that, and the tests.)
    static let sigpipeIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()

    /// `/usr/bin/env` when it is GNU env with `--default-signal` (coreutils 8.31 and later: Debian 11, 12),
    /// asked once; nil elsewhere, and programs are started directly as before.
    static let signalResetter: String? = {
        let env = "/usr/bin/env"
        guard FileManager.default.isExecutableFile(atPath: env) else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: env)
        probe.arguments = ["--default-signal", "--", "/bin/true"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? env : nil
    }()

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        _ = Self.sigpipeIgnored
        let process = Process()
        if let env = Self.signalResetter {
            // slad ignores SIGPIPE (and the runtime some real-time signals); an ignored signal stays ignored
            // across exec, so the program would start with them ignored: `cmd | head` would print write
            // errors instead of ending quietly. GNU env puts every signal back to its default first.
            process.executableURL = URL(fileURLWithPath: env)
            process.arguments = ["--default-signal", "--"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        // What the program says on standard error goes into the attempt's record (its first 300 bytes).
        let stderr = Pipe(), said = SaidBuffer()
        process.standardError = stderr
        let status: Int32? = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            process.terminationHandler = { finished in once.resume(finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                once.resume(nil)
                return
            }
            // Drained to the end (so the program never blocks on a full pipe), the first bytes kept.
            DispatchQueue.global().async { said.drain(stderr.fileHandleForReading) }
            let input = Data(Self.input(for: notice))
            DispatchQueue.global().async {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    once.resume(-1)
                }
            }
        }
        // The end of its standard error comes with its exit; a child it left running may hold it open longer.
        for _ in 0..<20 where status != nil && status != -1 && !said.finished { try? await Task.sleep(for: .milliseconds(10)) }
        switch status {
        case nil: return .permanent(reason: "cannot run \(arguments[0])")
        case -1: return .retry(reason: "\(arguments[0]) did not finish within \(Int(timeout)) s", after: nil)
        case 0: return .delivered
        case 75: return .retry(reason: "\(arguments[0]) exited 75 (try again later)\(said.text)", after: nil)
        case let code?: return .permanent(reason: "\(arguments[0]) exited \(code)\(said.text)")
        }
    }
}

/// Resumes a continuation once, whichever of the exit, the timeout or a failure to start comes first.
final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Int32?, Never>?

    init(_ continuation: CheckedContinuation<Int32?, Never>) { self.continuation = continuation }

    func resume(_ value: Int32?) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: value)
    }
}

/// The first bytes a program writes to standard error, gathered as they come.
final class SaidBuffer: @unchecked Sendable {
    static let limit = 300
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var ended = false

    /// Reads until the end of the stream, keeping the first `limit` bytes.
    func drain(_ handle: FileHandle) {
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            lock.withLock { if bytes.count < Self.limit { bytes += data.prefix(Self.limit - bytes.count) } }
        }
        lock.withLock { ended = true }
    }

    var finished: Bool { lock.withLock { ended } }

    /// `: what it said`, on one line, or nothing.
    var text: String {
        let said = lock.withLock { String(decoding: bytes, as: UTF8.self) }
            .split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return said.isEmpty ? "" : ": \(said)"
    }
}
