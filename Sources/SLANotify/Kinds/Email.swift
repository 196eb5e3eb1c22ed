import Foundation
import NIOSSL
import SLARules

/// `email`: SMTP to the company's relay. One message per notice to every recipient's `email` address.
/// STARTTLS is required unless the channel says `starttls off`; the server's certificate is verified
/// against the system's roots, or only against `ca` (a PEM file) for a private CA. With `username`,
/// AUTH PLAIN (or LOGIN) after STARTTLS; `password` is a secret reference. 4xx and connection failures
/// are retried, 5xx are permanent. The Message-ID is the notice's idempotency key, the same on retries.
public struct EmailNotifier: Notifier {
    public static let kind = "email"
    let client: SMTPClient
    let from: String

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        let settings = ChannelSettings(channel, secrets)
        let name = channel.name
        let host = try settings.required("host")
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" && $0 != "@" }) else {
            throw NotifierSetupError("channel '\(name)': 'host' must be a host name or address, not '\(host)'")
        }
        let portText = try settings.optional("port") ?? "587"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw NotifierSetupError("channel '\(name)': 'port' must be a number from 1 to 65535, not '\(portText)'")
        }
        from = try settings.required("from")
        guard MailText.isPlainAddress(from) else {
            throw NotifierSetupError("channel '\(name)': 'from' must be a plain address like slad@example.com, not '\(from)'")
        }
        let username = try settings.optional("username")
        let password = try settings.optional("password")
        if (username == nil) != (password == nil) {
            throw NotifierSetupError("channel '\(name)': 'username' and 'password' go together (give both or neither)")
        }
        let mode = try settings.optional("starttls")?.lowercased() ?? "required"
        let caFile = try settings.optional("ca")
        let security: SMTPClient.Security
        switch mode {
        case "required":
            security = .startTLS(try Self.tlsContext(channel: name, caFile: caFile))
        case "off":
            if caFile != nil { throw NotifierSetupError("channel '\(name)': 'ca' has no use with 'starttls off'") }
            if password != nil, !Self.isLoopback(host) {
                throw NotifierSetupError("channel '\(name)': 'starttls off' would send the password in the clear to \(host); "
                    + "use 'starttls required' (only a relay on 127.0.0.1 or ::1 may take a password without TLS)")
            }
            security = .none
        default:
            throw NotifierSetupError("channel '\(name)': 'starttls' must be 'required' (the default) or 'off', not '\(mode)'")
        }
        let credentials = username.flatMap { user in password.map { (username: user, password: $0) } }
        client = SMTPClient(host: host, port: port, security: security, credentials: credentials, timeout: channel.timeoutSeconds,
                            helo: Self.heloName())
    }

    static func tlsContext(channel: String, caFile: String?) throws(NotifierSetupError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw NotifierSetupError("no certificate in it") }
                configuration.trustRoots = .certificates(certificates)
            } catch {
                throw NotifierSetupError("channel '\(channel)': 'ca' \(caFile) cannot be read as PEM certificates: \(error)")
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw NotifierSetupError("channel '\(channel)': cannot set up TLS: \(error)")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// This machine's name for EHLO, when it is a plain host name.
    static func heloName() -> String {
        let name = ProcessInfo.processInfo.hostName
        let plain = !name.isEmpty && name.count < 200 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return plain ? name : "localhost"
    }

    static let messageIDCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._".unicodeScalars)

    /// The message for a notice: the first line as the Subject, the whole text as the body, with the action
    /// links as lines `接单：URL` at their place (the text's own URLs then disarmed, `https：//`).
    public func message(for notice: Notice, to recipients: [Notice.Recipient], now: Date) -> MailMessage {
        let domain = from.split(separator: "@").last.map(String.init) ?? "slad.local"
        let key = String(String.UnicodeScalarView(notice.idempotencyKey.unicodeScalars.filter { Self.messageIDCharacters.contains($0) }))
        return MailMessage(from: from, to: recipients.map { .init(name: $0.name, address: $0.address ?? "") },
                           subject: notice.title, body: Self.body(for: notice),
                           messageID: "\(key.isEmpty ? "slad" : key)@\(domain)", date: now)
    }

    static func body(for notice: Notice) -> String {
        let lines = ActionLinks.plainLines(ActionLinks.groups(notice), separator: "：")
        return ActionLinks.place(lines, in: notice.text, at: notice.actionsAt,
                                 escape: lines.isEmpty ? Escaping.normalizedLines : Escaping.plainText, gap: "\n\n")
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        let reachable = notice.recipients.filter { $0.address.map(MailText.isPlainAddress) ?? false }
        // An address slad will not put in an envelope (not ASCII, spaces, brackets) is reported, not dropped.
        let unusable = notice.recipients.compactMap(\.address).filter { !MailText.isPlainAddress($0) }.map { "\($0.debugDescription) (not a plain address)" }
        if reachable.isEmpty { return .permanent(reason: "no recipient has an e-mail address slad can send to: \(unusable.joined(separator: "; "))") }
        let data = message(for: notice, to: reachable, now: now).rendered()
        switch await client.send(from: from, to: reachable.compactMap(\.address), data: data) {
        case .sent where unusable.isEmpty: return .delivered
        case .sent: return .permanent(reason: "sent to the others, but cannot send to \(unusable.joined(separator: "; "))")
        case let .partly(refused): return .permanent(reason: "sent to the others, but refused: \((refused + unusable).joined(separator: "; "))")
        case let .transient(reason): return .retry(reason: "SMTP: \(reason)", after: nil)
        case let .permanent(reason): return .permanent(reason: "SMTP: \(reason)")
        }
    }
}
