import Foundation
import SLATestSupport
import Testing

/// The `email` kind through the real daemon: rules → escalation → outbox → delivery service → a real
/// SMTP server (aiosmtpd) with STARTTLS from a private CA and AUTH; each notification arrives once.
@Suite(.serialized) struct EmailDeliveryTests {
    @Test func escalationsArriveByMailOverSTARTTLS() throws {
        let server = try SMTPServer(tls: true)
        defer { server.stop() }
        let rules = """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009"; email "duty@example.com" }
        person boss "经理" { email "boss@example.com" }
        team desk { members duty; supervisor duty; manager boss }
        channel console log {}
        channel mail email "邮件" {
          host "127.0.0.1"
          port \(server.port)
          from "slad@example.com"
          username "\(SMTPServer.user)"
          password env SMTP_PASSWORD
          ca "\(server.caFile.path)"
          fallback console
        }
        policy fast "快速" {
          when kind = complaint
          team desk
          clock respond "响应" within 1s until acknowledged
          escalate {
            at respond notify supervisor, manager via mail
          }
        }
        """
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(rules), environment: ["SMTP_PASSWORD": SMTPServer.password])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        for index in 1...2 {
            let reply = try daemon.post("/v1/tickets", ["id": "M\(index)", "kind": "complaint", "building": "3栋", "text": "楼上漏水\r\nBcc: x@evil.example"])
            #expect(reply.status == 201, "\(reply.object)")
        }
        try daemon.waitFor("the mails", seconds: 30) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel = 'mail' AND state = 'sent'") == 2
        }
        let messages = server.messages
        #expect(messages.count == 2)
        for message in messages {
            #expect(message["tls"] as? Bool == true && message["auth"] as? String == SMTPServer.user)
            #expect(Set(message["rcpt_tos"] as? [String] ?? []) == ["duty@example.com", "boss@example.com"])
            #expect((message["subject"] as? String)?.contains("快速") == true, "\(message["subject"] ?? "")")
            #expect((message["message_id"] as? String)?.hasPrefix("<slad-") == true)
            #expect(!(message["headers"] as? [String] ?? []).contains("Bcc"))
        }
        #expect(Set(messages.compactMap { $0["message_id"] as? String }).count == 2)
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE state = 'dead'") == 0)
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }
}
