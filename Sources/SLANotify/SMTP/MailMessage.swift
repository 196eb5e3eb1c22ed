import Foundation

/// An RFC 5322 message as slad sends it: UTF-8 text/plain, the Subject and display names as RFC 2047
/// encoded words, the body quoted-printable. Everything a resident typed ends up inside an encoded word
/// or the quoted-printable body, so no CR or LF of theirs can start a header or end the DATA phase.
public struct MailMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public let name: String?
        public let address: String
        public init(name: String?, address: String) {
            self.name = name
            self.address = address
        }
    }

    public var from: String
    public var to: [Address]
    public var subject: String
    public var body: String
    public var messageID: String
    public var date: Date

    public init(from: String, to: [Address], subject: String, body: String, messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
    }

    /// The message with CRLF line ends, before dot-stuffing.
    public func rendered() -> String {
        var lines = [
            "Date: " + Self.rfc5322Date(date),
            "From: <\(from)>",
            Self.fold("To: ", to.map { address in
                guard let name = address.name.map(MailText.singleLine), !name.isEmpty else { return "<\(address.address)>" }
                return MailText.encodedWords(name).joined(separator: " ") + " <\(address.address)>"
            }, separator: ","),
            Self.fold("Subject: ", MailText.encodedWords(MailText.singleLine(subject)), separator: ""),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "Auto-Submitted: auto-generated",
            "",
        ]
        lines.append(MailText.quotedPrintable(body))
        return lines.joined(separator: "\r\n")
    }

    /// One header, its items separated by `separator` and folded onto continuation lines (a space first).
    static func fold(_ name: String, _ items: [String], separator: String) -> String {
        guard !items.isEmpty else { return name.trimmingCharacters(in: .whitespaces) }
        var out = name + items[0]
        for item in items.dropFirst() { out += separator + "\r\n " + item }
        return out
    }

    /// `Tue, 01 Dec 2026 13:20:22 +0000`, always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { String(n ?? 0).leftPadded(2) }
        return "\(days[(c.weekday ?? 1) - 1]), \(two(c.day)) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}

/// The encodings a mail needs, each small enough to check by eye.
public enum MailText {
    /// Text for a header: controls (CR and LF among them) and bidirectional overrides removed, lines joined.
    public static func singleLine(_ text: String) -> String {
        Escaping.normalizedLines(text).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, each holding whole characters.
    public static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            // 45 bytes → 60 base64 characters; with "=?UTF-8?B?" and "?=", 72 in all.
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Digest.base64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Digest.base64(chunk) + "?=") }
        return words
    }

    /// RFC 2045 quoted-printable with CRLF line ends and soft breaks before 76 characters. Every CR, LF
    /// or CRLF in the text becomes one CRLF, so the body holds no bare CR or LF.
    public static func quotedPrintable(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { encodeLine(Array($0.utf8)) }.joined(separator: "\r\n")
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var out = ""
        var length = 0
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last)
            let piece = literal ? String(UnicodeScalar(byte)) : "=" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            // A soft break ("=") keeps every line at 76 characters or fewer.
            if length + piece.count > 75 {
                out += "=\r\n"
                length = 0
            }
            out += piece
            length += piece.count
        }
        return out
    }

    /// SMTP dot-stuffing (RFC 5321 §4.5.2): a line that starts with "." gets another in front. The caller
    /// ends the data with CRLF "." CRLF.
    public static func dotStuffed(_ message: String) -> String {
        var out = message.hasPrefix(".") ? "." : ""
        out += message.replacingOccurrences(of: "\r\n.", with: "\r\n..")
        return out
    }

    /// An address slad will put in an envelope: ASCII, one `@`, no spaces, brackets, quotes or controls.
    public static func isPlainAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.utf8.count <= 254 else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && !"<>()[]\\,;:\"".unicodeScalars.contains($0) }
    }
}
