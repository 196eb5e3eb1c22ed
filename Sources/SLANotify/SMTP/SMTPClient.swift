import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
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
        try expect(await smtp.reply(), 220, "greeting")
        var extensions = try await ehlo(smtp)
        if case let .startTLS(context) = security {
            guard extensions.keys.contains("STARTTLS") else {
                throw Failure(.permanent("\(host):\(port) does not offer STARTTLS and the channel requires it; nothing was sent in the clear"))
            }
            try expect(await smtp.command("STARTTLS"), 220, "STARTTLS")
            try await smtp.startTLS(context: context, host: host)
            extensions = try await ehlo(smtp)
        }
        if let credentials { try await authenticate(smtp, credentials, offered: extensions["AUTH"] ?? []) }
        try expect(await smtp.command("MAIL FROM:<\(from)>"), 250, "MAIL FROM")
        var refused: [String] = []
        for recipient in recipients {
            let reply = try await smtp.command("RCPT TO:<\(recipient)>")
            switch reply.code {
            case 250, 251: continue
            case 500...599: refused.append("\(recipient) (\(reply))")
            default: throw Failure(.transient("RCPT TO \(recipient): \(reply)"))
            }
        }
        if refused.count == recipients.count { throw Failure(.permanent("every recipient was refused: \(refused.joined(separator: "; "))")) }
        try expect(await smtp.command("DATA"), 354, "DATA")
        try expect(await smtp.command(MailText.dotStuffed(data) + "\r\n."), 250, "end of data")
        _ = try? await smtp.command("QUIT")
        return refused.isEmpty ? .sent : .partly(refused: refused)
    }

    /// EHLO, and the extensions the server offers (keyword → parameters).
    private func ehlo(_ smtp: SMTPConnection) async throws -> [String: [String]] {
        let reply = try await smtp.command("EHLO \(helo)")
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
            try expect(await smtp.command("AUTH PLAIN " + Digest.base64([0] + user + [0] + password)), 235, "AUTH PLAIN")
        } else if offered.contains("LOGIN") {
            try expect(await smtp.command("AUTH LOGIN"), 334, "AUTH LOGIN")
            try expect(await smtp.command(Digest.base64(user)), 334, "AUTH LOGIN user name")
            try expect(await smtp.command(Digest.base64(password)), 235, "AUTH LOGIN")
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

struct SMTPReply: CustomStringConvertible {
    let code: Int
    let lines: [String]
    var description: String { "\(code) \(lines.joined(separator: " ").prefix(200))" }
}

/// One connection: lines in through an AsyncThrowingStream, commands out, STARTTLS in the middle.
final class SMTPConnection {
    let channel: Channel
    let timeout: Double
    private var lines: AsyncThrowingStream<String, Error>.AsyncIterator

    private init(channel: Channel, lines: AsyncThrowingStream<String, Error>, timeout: Double) {
        self.channel = channel
        self.lines = lines.makeAsyncIterator()
        self.timeout = timeout
    }

    static func open(host: String, port: Int, timeout: Double) async throws -> SMTPConnection {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: Error.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SMTPLineHandler(continuation)) }
            }
            .connect(host: host, port: port).get()
        return SMTPConnection(channel: channel, lines: stream, timeout: timeout)
    }

    func close() { channel.close(promise: nil) }

    /// Sends one command (CRLF added) and waits for its reply. Errors name the stage, never the command
    /// (it may carry credentials).
    func command(_ text: String) async throws -> SMTPReply {
        do {
            try await channel.writeAndFlush(ByteBuffer(string: text + "\r\n"))
        } catch {
            // The connection's own error (a failed TLS handshake) says more than the failed write:
            // reading throws it, or says the server closed the connection.
            _ = try await reply()
            throw SMTPClient.Failure(Self.classify(error))
        }
        return try await reply()
    }

    /// One reply, all its lines (`250-…` continues, `250 …` ends), within `timeout` seconds.
    func reply() async throws -> SMTPReply {
        let timedOut = NIOLockedValueBox(false)
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        var text: [String] = []
        while true {
            let next: String?
            do {
                next = try await lines.next()
            } catch {
                throw SMTPClient.Failure(Self.classify(error))
            }
            guard let line = next else {
                let reason = timedOut.withLockedValue { $0 } ? "no reply within \(Int(timeout)) s" : "the server closed the connection"
                throw SMTPClient.Failure(.transient(reason))
            }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else { throw SMTPClient.Failure(.transient("unreadable reply: \(line.prefix(100))")) }
            text.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: text) }
        }
    }

    /// Puts TLS under the connection (after the server's 220 to STARTTLS) and waits for the handshake.
    /// The certificate is verified against `host` (or, for an IP address, against the address).
    func startTLS(context: NIOSSLContext, host: String) async throws {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw SMTPClient.Failure(.permanent("TLS: \(error)"))
        }
    }

    /// A failed handshake (certificate, protocol) will fail again: permanent. Other I/O errors: transient.
    static func classify(_ error: any Error) -> SMTPResult {
        if let failure = error as? SMTPClient.Failure { return failure.result }
        if let tls = error as? NIOSSLError, case .handshakeFailed = tls { return .permanent("TLS handshake failed: \(tls)") }
        if error is NIOSSLExtraError { return .permanent("TLS: \(error)") }
        return .transient("connection: \(error)")
    }
}

/// Splits what the server sends into lines (CRLF or LF), for the connection's stream.
final class SMTPLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let continuation: AsyncThrowingStream<String, Error>.Continuation
    private var pending: [UInt8] = []

    init(_ continuation: AsyncThrowingStream<String, Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let end = pending.firstIndex(of: 10) {
            var line = Array(pending[..<end])
            pending.removeFirst(end + 1)
            if line.last == 13 { line.removeLast() }
            continuation.yield(String(decoding: line, as: UTF8.self))
        }
        if pending.count > 65536 {
            continuation.finish(throwing: SMTPClient.Failure(.transient("a reply line longer than 64 KiB")))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}
