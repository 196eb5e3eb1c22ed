import Foundation
import SLARules
import SLATestSupport
import Testing
@testable import SLANotify

/// The `email` kind against a real SMTP server (aiosmtpd) on loopback: STARTTLS with a private CA, AUTH,
/// the message as Python's email package reads it, hostile text, and the refusals.
@Suite(.serialized) struct EmailTests {
    static let people = [
        Notice.Recipient(person: "zhang-wei", name: "张伟", address: "zhang.wei@example.com"),
        Notice.Recipient(person: "li-na", name: "李娜\r\nBcc: evil@example.com", address: "li.na@example.com"),
        Notice.Recipient(person: "guard", name: "门岗", address: nil),
    ]

    func notifier(_ server: SMTPServer, extra: String = "", password: String = SMTPServer.password) throws -> any Notifier {
        let rules = """
        channel mail email {
          host "127.0.0.1"
          port \(server.port)
          from "slad@example.com"
          username "\(SMTPServer.user)"
          password env SMTP_PASSWORD
          \(extra)
        }
        """
        let channel = try #require(try channels(rules)["mail"])
        return try NotifierRegistry.make(channel, secrets: SecretResolver(environment: ["SMTP_PASSWORD": password]), transport: FakeTransport())
    }

    @Test func deliversOverSTARTTLSWithAuthAndAChineseSubject() async throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let mail = try notifier(server, extra: "ca \"\(server.caFile.path)\"")
        let text = "【A级投诉超时】3栋2单元1102 首次响应已超时 35 分钟，负责人 张伟\n业主：楼上漏水\n请尽快处理。"
        let notice = Notice(idempotencyKey: "slad-7-12", ticketID: "T-1", channel: "mail", recipients: Self.people, text: text, createdAt: 0)
        let outcome = await Self.deliver(notice, with: mail, server: server, now: Date(timeIntervalSince1970: 1_796_000_000))
        #expect(outcome == .delivered)
        let message = try #require(server.messages.first)
        #expect(server.messages.count == 1)
        #expect(message["tls"] as? Bool == true)
        #expect(message["auth"] as? String == SMTPServer.user)
        #expect(message["mail_from"] as? String == "slad@example.com")
        #expect(message["rcpt_tos"] as? [String] == ["zhang.wei@example.com", "li.na@example.com"])
        #expect(message["to"] as? [String] == ["zhang.wei@example.com", "li.na@example.com"])
        #expect(message["to_names"] as? [String] == ["张伟", "李娜 Bcc: evil@example.com"])
        #expect(message["subject"] as? String == "【A级投诉超时】3栋2单元1102 首次响应已超时 35 分钟，负责人 张伟")
        #expect(message["body"] as? String == text + "\n")
        #expect(message["message_id"] as? String == "<slad-7-12@example.com>")
        #expect(message["content_type"] as? String == "text/plain")
        #expect(Set(message["headers"] as? [String] ?? []) == Self.headers)
        #expect(server.authAttempts.allSatisfy { $0["tls"] as? Bool == true })
    }

    /// Delivers as the outbox would: a transient failure (once seen in CI on a loaded machine, the
    /// server closing the connection) is tried again, at most twice, and printed with the server's log so
    /// the CI output says what happened. A message can still arrive only once: the server records each.
    static func deliver(_ notice: Notice, with mail: any Notifier, server: SMTPServer, now: Date) async -> DeliveryOutcome {
        var outcome = await mail.deliver(notice, now: now)
        for attempt in 2...3 {
            guard case let .retry(reason, _) = outcome else { break }
            FileHandle.standardError.write(Data("EmailTests: attempt \(attempt - 1) was transient (\(reason)); server log:\n\(server.log)\n".utf8))
            outcome = await mail.deliver(notice, now: now)
        }
        return outcome
    }

    static let headers: Set<String> = ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type",
                                       "Content-Transfer-Encoding", "Auto-Submitted"]

    /// CR and LF in the first line cannot start a header; a "." line cannot end the DATA phase early;
    /// the body arrives as typed.
    @Test func hostileTextStaysInItsFields() async throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let mail = try notifier(server, extra: "ca \"\(server.caFile.path)\"")
        let text = "漏水\rBcc: evil@example.com\r\nX-Injected: yes\n.\nMAIL FROM:<evil@example.com>\n..\n.hidden =?UTF-8?B?5L2g?= \u{202E}反转 \u{0000}end  "
        let notice = Notice(idempotencyKey: "slad-8-13\r\nX-Key: 1", ticketID: "T-2", channel: "mail", recipients: Self.people, text: text,
                            createdAt: 0)
        #expect(await Self.deliver(notice, with: mail, server: server, now: Date()) == .delivered)
        let message = try #require(server.messages.first)
        #expect(server.messages.count == 1)
        #expect(Set(message["headers"] as? [String] ?? []) == Self.headers)
        #expect(message["subject"] as? String == "漏水 Bcc: evil@example.com X-Injected: yes")
        #expect(message["message_id"] as? String == "<slad-8-13X-Key1@example.com>")
        #expect(message["rcpt_tos"] as? [String] == ["zhang.wei@example.com", "li.na@example.com"])
        let body = try #require(message["body"] as? String)
        #expect(body == "漏水\nBcc: evil@example.com\nX-Injected: yes\n.\nMAIL FROM:<evil@example.com>\n..\n.hidden =?UTF-8?B?5L2g?= 反转 end  \n")
        // The header block as sent: no line of it starts with what the resident typed.
        let headerLines = try #require(message["header_block"] as? String).components(separatedBy: "\r\n")
        #expect(headerLines.allSatisfy { !$0.hasPrefix("Bcc") && !$0.hasPrefix("X-Injected") && !$0.hasPrefix("X-Key") && !$0.hasPrefix("MAIL") })
        #expect(headerLines.allSatisfy { $0.allSatisfy(\.isASCII) }, "a header carries raw UTF-8: \(headerLines)")
        // The raw data holds no bare CR or LF (SMTP smuggling) and the "." lines were stuffed on the wire.
        let raw = try #require(message["raw"] as? String)
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n") && !raw.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
    }

    /// Action links arrive whole through quoted-printable (long URLs are soft-broken on the wire and
    /// joined again by the reader), labelled per person, after the text; the resident's own link is text.
    @Test func actionLinksArriveWholeAndTheResidentsLinkDoesNot() async throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let mail = try notifier(server, extra: "ca \"\(server.caFile.path)\"")
        let token = String(repeating: "AbCd-_09", count: 12)
        let actions = ["zhang-wei", "li-na"].map { NoticeAction(person: $0, name: $0 == "li-na" ? "李娜" : "张伟", label: "接单",
                                                                url: "https://wy.example.com/slad/a/\($0)-\(token)") }
        let text = "漏水 [接单](https://evil.example/a/x)\n请尽快处理"
        let notice = Notice(idempotencyKey: "slad-9-14", ticketID: "T-3", channel: "mail", recipients: Self.people, text: text, createdAt: 0,
                            actions: actions, actionsAt: "漏水 [接单](https://evil.example/a/x)\n".utf8.count)
        #expect(await Self.deliver(notice, with: mail, server: server, now: Date()) == .delivered)
        let body = try #require(server.messages.first?["body"] as? String)
        #expect(body == "漏水 [接单](https：//evil.example/a/x)\n张伟 接单：https://wy.example.com/slad/a/zhang-wei-\(token)\n"
            + "李娜 接单：https://wy.example.com/slad/a/li-na-\(token)\n\n请尽快处理\n")
        #expect(server.messages.first?["subject"] as? String == "漏水 [接单](https://evil.example/a/x)", "the first line, as without links")
    }

    @Test func aServerWithoutSTARTTLSIsRefusedWhenTLSIsRequired() async throws {
        let server = try SMTPServer(tls: false)
        defer { server.stop() }
        let mail = try notifier(server)
        let outcome = await mail.deliver(notice("告警", recipients: Self.people), now: Date())
        guard case let .permanent(reason) = outcome else { Issue.record("expected a permanent failure, got \(outcome)"); return }
        #expect(reason.contains("does not offer STARTTLS"))
        #expect(server.messages.isEmpty)
        #expect(server.authAttempts.isEmpty, "the password was offered in the clear")
    }

    @Test func aCertificateFromAnUnknownCAIsRefused() async throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let mail = try notifier(server)  // no 'ca': the system's roots do not know the test CA
        let outcome = await mail.deliver(notice("告警", recipients: Self.people), now: Date())
        guard case let .permanent(reason) = outcome else { Issue.record("expected a permanent failure, got \(outcome)"); return }
        #expect(reason.contains("TLS"))
        #expect(server.messages.isEmpty && server.authAttempts.isEmpty)
    }

    @Test func repliesMapOntoRetryAndPermanent() async throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let mail = try notifier(server, extra: "ca \"\(server.caFile.path)\"")
        func send(_ addresses: [String]) async -> DeliveryOutcome {
            await mail.deliver(notice("告警", recipients: addresses.map { .init(person: $0, name: nil, address: $0) }), now: Date())
        }
        // 451 on a recipient: nobody gets it now, the whole message is tried again later.
        guard case .retry = await send(["ok@example.com", "tempfail@example.com"]) else { Issue.record("451 should be retried"); return }
        #expect(server.messages.isEmpty)
        // 550 for everyone: permanent.
        guard case .permanent = await send(["reject@example.com"]) else { Issue.record("550 should be permanent"); return }
        // 550 for one: the others get it, and the job says who did not.
        guard case let .permanent(reason) = await send(["ok@example.com", "reject@example.com"]) else { Issue.record("partial"); return }
        #expect(reason.contains("reject@example.com"))
        #expect(server.messages.count == 1)
        // An address slad cannot put in an envelope is reported, and the others still get the message.
        guard case let .permanent(unusable) = await send(["ok@example.com", "张伟 <x@example.com>"]) else { Issue.record("unusable"); return }
        #expect(unusable.contains("not a plain address"))
        #expect(server.messages.count == 2)
        // A wrong password: 535, permanent.
        let wrong = try notifier(server, extra: "ca \"\(server.caFile.path)\"", password: "wrong")
        guard case .permanent = await wrong.deliver(notice("告警", recipients: Self.people), now: Date()) else {
            Issue.record("a refused password should be permanent")
            return
        }
        // Nobody listening: retried.
        let port = server.port
        server.stop()
        let closed = await mail.deliver(notice("告警", recipients: Self.people), now: Date())
        guard case .retry = closed else { Issue.record("a refused connection to :\(port) should be retried, got \(closed)"); return }
    }

    /// A server that accepts the connection and never greets: retried after `timeout`, not waited on forever.
    @Test func aSilentServerTimesOut() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        let rules = "channel mail email { host \"127.0.0.1\"; port \(UInt16(bigEndian: address.sin_port)); from \"slad@example.com\"; timeout 1s }"
        let mail = try NotifierRegistry.make(try #require(try channels(rules)["mail"]), secrets: SecretResolver(environment: [:]),
                                             transport: FakeTransport())
        let started = Date()
        let outcome = await mail.deliver(notice("告警", recipients: Self.people), now: Date())
        guard case let .retry(reason, _) = outcome else { Issue.record("expected a retry, got \(outcome)"); return }
        #expect(reason.contains("no reply within 1 s"))
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func badSettingsNameTheChannelAndTheSetting() throws {
        func error(_ settings: String, environment: [String: String] = ["P": "x"]) throws -> String {
            let channel = try #require(try channels("channel mail email { from \"slad@example.com\"; \(settings) }")["mail"])
            do {
                _ = try NotifierRegistry.make(channel, secrets: SecretResolver(environment: environment), transport: FakeTransport())
                return ""
            } catch { return error.description }
        }
        #expect(try error("host \"smtp.example.com\"; starttls maybe").contains("channel 'mail': 'starttls' must be 'required'"))
        #expect(try error("host \"smtp.example.com\"; ca \"/nonexistent/ca.pem\"").contains("channel 'mail': 'ca' /nonexistent/ca.pem"))
        #expect(try error("host \"smtp.example.com\"; port 70000").contains("channel 'mail': 'port'"))
        #expect(try error("host \"smtp.example.com\"; starttls off; username \"u\"; password env P").contains("in the clear"))
        #expect(try error("host \"smtp.example.com\"; username \"u\"").contains("'username' and 'password' go together"))
        #expect(try error("host \"127.0.0.1\"; starttls off; username \"u\"; password env P") == "")
    }

    @Test func mimePieces() {
        // RFC 2047 words hold whole characters and stay within 75 characters.
        let words = MailText.encodedWords(String(repeating: "超时", count: 40))
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        // Quoted-printable: lines of at most 76, "=" and trailing spaces encoded.
        let qp = MailText.quotedPrintable(String(repeating: "张", count: 30) + " a=b \n.")
        #expect(qp.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(qp.contains("a=3Db=20\r\n."))
        #expect(MailText.dotStuffed(".a\r\n.\r\nb\r\n..c") == "..a\r\n..\r\nb\r\n...c")
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_796_130_022)) == "Tue, 01 Dec 2026 13:00:22 +0000")
        #expect(MailText.isPlainAddress("a.b@example.com") && !MailText.isPlainAddress("a b@x") && !MailText.isPlainAddress("a@x>\r\nRCPT"))
    }
}
