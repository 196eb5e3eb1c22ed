import NIOSSL

/// What one SMTP transaction came to, in the delivery service's terms.
public enum SMTPResult: Sendable, Equatable {
    case sent
    /// Some recipients refused with a 5xx; the others got the message.
    case partly(refused: [String])
    /// A 4xx reply, no answer, a dropped connection: nobody got the message, try again later.
    case transient(String)
    /// A 5xx reply, a server without STARTTLS when it is required, a certificate that does not verify.
    case permanent(String)
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS (NIOSSL, certificate and host name
/// verified), AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. One connection
/// per message. Every reply is awaited for at most `timeout` seconds.
public struct SMTPClient: Sendable {
    public enum Security: Sendable {
        /// STARTTLS is required: a server that does not offer it is refused, never used in the clear.
        case startTLS(NIOSSLContext)
        /// Plain text, as the channel explicitly asked (`starttls off`).
        case none
    }

    public let host: String
    public let port: Int
    public let security: Security
    public let credentials: (username: String, password: String)?
    public let timeout: Double
    public let helo: String

    public init(host: String, port: Int, security: Security, credentials: (username: String, password: String)?, timeout: Double,
                helo: String = "localhost") {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.timeout = timeout
        self.helo = helo
    }

    struct Failure: Error {
        let result: SMTPResult
        init(_ result: SMTPResult) { self.result = result }
    }

    public func send(from: String, to recipients: [String], data: String) async -> SMTPResult {
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.open(host: host, port: port, timeout: timeout)
        } catch {
            return .transient("cannot connect to \(host):\(port): \(error)")
        }
        defer { connection.close() }
        do {
            return try await transaction(connection, from: from, to: recipients, data: data)
        } catch let failure as Failure {
            return failure.result
        } catch {
            return SMTPConnection.classify(error)
        }
    }

    private func transaction(_ smtp: SMTPConnection, from: String, to recipients: [String], data: String) async throws -> SMTPResult {
        try expect(await smtp.reply(stage: "greeting"), 220, "greeting")
        var extensions = try await ehlo(smtp)
        if case let .startTLS(context) = security {
            guard extensions.keys.contains("STARTTLS") else {
                throw Failure(.permanent("\(host):\(port) does not offer STARTTLS and the channel requires it; nothing was sent in the clear"))
            }
            try expect(await smtp.command("STARTTLS", stage: "STARTTLS"), 220, "STARTTLS")
            try await smtp.startTLS(context: context, host: host)
            extensions = try await ehlo(smtp)
        }
        if let credentials { try await authenticate(smtp, credentials, offered: extensions["AUTH"] ?? []) }
        try expect(await smtp.command("MAIL FROM:<\(from)>", stage: "MAIL FROM"), 250, "MAIL FROM")
        var refused: [String] = []
        for recipient in recipients {
            let reply = try await smtp.command("RCPT TO:<\(recipient)>", stage: "RCPT TO")
            switch reply.code {
            case 250, 251: continue
            case 500...599: refused.append("\(recipient) (\(reply))")
            default: throw Failure(.transient("RCPT TO \(recipient): \(reply)"))
            }
        }
        if refused.count == recipients.count { throw Failure(.permanent("every recipient was refused: \(refused.joined(separator: "; "))")) }
        try expect(await smtp.command("DATA", stage: "DATA"), 354, "DATA")
        try expect(await smtp.command(MailText.dotStuffed(data) + "\r\n.", stage: "end of data"), 250, "end of data")
        _ = try? await smtp.command("QUIT", stage: "QUIT")
        return refused.isEmpty ? .sent : .partly(refused: refused)
    }

    /// EHLO, and the extensions the server offers (keyword → parameters).
    private func ehlo(_ smtp: SMTPConnection) async throws -> [String: [String]] {
        let reply = try await smtp.command("EHLO \(helo)", stage: "EHLO")
        try expect(reply, 250, "EHLO")
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map { String($0).uppercased() }
            if let keyword = words.first { extensions[keyword] = Array(words.dropFirst()) }
        }
        return extensions
    }

    private func authenticate(_ smtp: SMTPConnection, _ credentials: (username: String, password: String), offered: [String]) async throws {
        let user = Array(credentials.username.utf8), password = Array(credentials.password.utf8)
        if offered.contains("PLAIN") {
            try expect(await smtp.command("AUTH PLAIN " + Digest.base64([0] + user + [0] + password), stage: "AUTH PLAIN"), 235, "AUTH PLAIN")
        } else if offered.contains("LOGIN") {
            try expect(await smtp.command("AUTH LOGIN", stage: "AUTH LOGIN"), 334, "AUTH LOGIN")
            try expect(await smtp.command(Digest.base64(user), stage: "AUTH LOGIN user name"), 334, "AUTH LOGIN user name")
            try expect(await smtp.command(Digest.base64(password), stage: "AUTH LOGIN password"), 235, "AUTH LOGIN")
        } else {
            throw Failure(.permanent("\(host):\(port) offers no AUTH PLAIN or LOGIN (offered: \(offered.joined(separator: " ")))"))
        }
    }

    /// The reply must have `code`; otherwise a 4xx (or anything unexpected) is worth a retry and a 5xx is not.
    private func expect(_ reply: SMTPReply, _ code: Int, _ stage: String) throws {
        guard reply.code != code else { return }
        let reason = "\(stage): \(reply)"
        throw Failure((500...599).contains(reply.code) ? .permanent(reason) : .transient(reason))
    }
}
