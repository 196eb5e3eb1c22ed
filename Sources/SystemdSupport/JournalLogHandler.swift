import CSystemd
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// syslog priorities (sd-daemon(3)), from swift-log levels.
public enum SyslogPriority {
    public static func of(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7   // LOG_DEBUG
        case .info: 6            // LOG_INFO
        case .notice: 5          // LOG_NOTICE
        case .warning: 4         // LOG_WARNING
        case .error: 3           // LOG_ERR
        case .critical: 2        // LOG_CRIT
        }
    }
}

/// The journal fields of one log record. A pure function, unit-tested: `journalctl -o json` shows these.
public enum JournalFields {
    /// Fields slad sets itself; metadata with one of these names gets a `SLAD_` prefix instead of overriding.
    static let own: Set<String> = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
                                   "LOGGER", "SOURCE", "MESSAGE_ID", "SYSLOG_FACILITY", "SYSLOG_PID", "SYSLOG_TIMESTAMP",
                                   "ERRNO", "TID", "UNIT", "USER_UNIT", "INVOCATION_ID", "DOCUMENTATION"]

    /// `["MESSAGE=…", "PRIORITY=5", "SYSLOG_IDENTIFIER=slad", "CODE_FILE=…", "CODE_LINE=…", "CODE_FUNC=…",
    /// "LOGGER=slad", "TICKET_ID=…", …]`, metadata sorted by field name.
    public static func make(level: Logger.Level, message: String, metadata: Logger.Metadata, label: String,
                            source: String, file: String, function: String, line: UInt,
                            identifier: String = "slad") -> [String] {
        var fields = [
            "MESSAGE=\(message)",
            "PRIORITY=\(SyslogPriority.of(level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
            "LOGGER=\(label)",
        ]
        var named: [String: String] = [:]
        for (key, value) in metadata {
            var name = fieldName(key)
            if own.contains(name) { name = "SLAD_" + name }
            named[name] = value.description
        }
        for name in named.keys.sorted() { fields.append("\(name)=\(named[name]!)") }
        return fields
    }

    /// A metadata key as a journal field name: upper case, only A–Z, 0–9 and `_`, not starting with `_`
    /// (those are trusted fields) or a digit, at most 64 characters. `ticket_id` → `TICKET_ID`,
    /// `late-seconds` → `LATE_SECONDS`.
    public static func fieldName(_ key: String) -> String {
        var name = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "a"..."z": name.unicodeScalars.append(Unicode.Scalar(scalar.value - 32)!)
            case "A"..."Z", "0"..."9": name.unicodeScalars.append(scalar)
            default: name.append("_")
            }
        }
        if name.isEmpty || name.first == "_" || name.first!.isNumber { name = "M_" + name }
        return String(name.prefix(64))
    }
}

/// A swift-log handler writing structured entries to journald through `sd_journal_sendv`.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let label: String
    let identifier: String

    public init(label: String, identifier: String = "slad", metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = mergedMetadata(metadata, metadataProvider, event.metadata)
        let fields = JournalFields.make(level: event.level, message: event.message.description, metadata: merged, label: label,
                                        source: event.source, file: event.file, function: event.function, line: event.line,
                                        identifier: identifier)
        Self.send(fields)
    }

    /// Sends fields to the journal; returns libsystemd's result (0 on success, and also when journald is absent).
    @discardableResult
    public static func send(_ fields: [String]) -> Int32 {
        let copies = fields.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var vectors = copies.map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: strlen($0!)) }
        return vectors.withUnsafeMutableBufferPointer { buffer in
            sd_journal_sendv(buffer.baseAddress, Int32(buffer.count))
        }
    }
}

/// A swift-log handler writing one line per record to standard error, prefixed with its syslog priority as
/// `<N>` (sd-daemon(3)): systemd reads the prefix when stderr goes to the journal by other means, and a
/// terminal shows it as is. A stream to the journal makes a record of every line, so a multi-line message
/// (a refused reload's diagnostics) is written on one line, its line breaks as `\n`, and stays one record
/// with its priority; only on a terminal does it keep its lines, each prefixed.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// `<5>escalation: … ticket_id=C1 policy=fast`. A multi-line message becomes one line, its breaks
    /// written `\n` (and a backslash `\\`); with `keepLines` (a terminal) each line is printed with the prefix.
    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata, keepLines: Bool = false) -> String {
        let prefix = "<\(SyslogPriority.of(level))>"
        var text = message
        if !metadata.isEmpty {
            text += " " + metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
        }
        if keepLines {
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n") + "\n"
        }
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else { return prefix + text + "\n" }
        var escaped = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": if previous != "\r" { escaped.append(contentsOf: "\\n".unicodeScalars) }
            case "\r": escaped.append(contentsOf: "\\n".unicodeScalars)
            default: escaped.append(scalar)
            }
            previous = scalar
        }
        return prefix + String(escaped) + "\n"
    }

    /// Whether standard error is a terminal, asked once.
    static let toTerminal = isatty(2) == 1

    public func log(event: LogEvent) {
        let text = Self.format(level: event.level, message: event.message.description,
                               metadata: mergedMetadata(metadata, metadataProvider, event.metadata), keepLines: Self.toTerminal)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if written < 0, errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}

func mergedMetadata(_ handler: Logger.Metadata, _ provider: Logger.MetadataProvider?, _ explicit: Logger.Metadata?) -> Logger.Metadata {
    var merged = handler
    if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
    if let explicit { merged.merge(explicit) { _, new in new } }
    return merged
}

/// Picks the log handler: the journal when standard error is the journal (`JOURNAL_STREAM`), else standard
/// error with `<N>` prefixes. `SLAD_LOG=journal|stderr` overrides the choice.
public enum SystemdLogging {
    public enum Target: Sendable { case journal, stderr }

    public static func target(environment: [String: String]) -> Target {
        switch environment["SLAD_LOG"] {
        case "journal": return .journal
        case "stderr": return .stderr
        default: return Systemd.stderrIsJournal(environment: environment) ? .journal : .stderr
        }
    }

    public static func handler(label: String, target: Target, level: Logger.Level = .info) -> any LogHandler {
        switch target {
        case .journal:
            var handler = JournalLogHandler(label: label)
            handler.logLevel = level
            return handler
        case .stderr:
            var handler = StderrLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
