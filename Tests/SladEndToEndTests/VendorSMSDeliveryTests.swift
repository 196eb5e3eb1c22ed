import Foundation
import Testing

/// `aliyun-sms` and `tencent-sms` through the real daemon to a loopback receiver that checks the
/// signatures as the vendors do (Receiver.swift): every notice arrives once, signed; a channel with the
/// wrong secret is refused by the "vendor" and dead-lettered without retries.
@Suite(.serialized) struct VendorSMSDeliveryTests {
    static func rules(port: Int) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        person boss "经理" { phone "13800000010" }
        team desk { members duty; supervisor duty; manager boss }
        channel console log {}
        channel ali aliyun-sms { url "http://127.0.0.1:\(port)/aliyun/a"; key-id env ALI_ID; key-secret env ALI_SECRET
                                 sign-name "翠湖物业"; template "SMS_154950909" }
        channel tc tencent-sms { url "http://127.0.0.1:\(port)/tencent/a"; secret-id env TC_ID; secret-key env TC_KEY
                                 app-id "1400006666"; sign-name "翠湖物业"; template "1234567" }
        channel ali-wrong aliyun-sms { url "http://127.0.0.1:\(port)/aliyun/wrong"; key-id env ALI_ID; key-secret env WRONG
                                       sign-name "翠湖物业"; template "SMS_154950909" }
        channel tc-wrong tencent-sms { url "http://127.0.0.1:\(port)/tencent/wrong"; secret-id env TC_ID; secret-key env WRONG
                                       app-id "1400006666"; sign-name "翠湖物业"; template "1234567" }
        policy fast "快速" {
          when kind = complaint
          team desk
          clock respond "响应" within 1s until acknowledged
          escalate {
            at respond notify supervisor, manager via ali, tc, ali-wrong, tc-wrong
          }
        }
        """
    }

    @Test func signedRequestsVerifyAndEachNoticeArrivesOnce() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules(port: receiver.port)),
                                       extra: ["--retry-base", "1", "--retry-max", "2", "--max-attempts", "4"],
                                       environment: ["ALI_ID": "testid", "ALI_SECRET": Receiver.aliyunSecret, "TC_ID": "AKIDEXAMPLE",
                                                     "TC_KEY": Receiver.tencentKey, "WRONG": "not-the-secret"])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let count = 3
        for index in 1...count {
            let reply = try daemon.post("/v1/tickets", ["id": "V\(index)", "kind": "complaint", "text": "漏水 &PhoneNumbers=1 \"}"])
            #expect(reply.status == 201, "\(reply.object)")
        }
        try daemon.waitFor("both vendors", seconds: 40) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel IN ('ali', 'tc') AND state = 'sent'") == 2 * count
        }
        for path in ["/aliyun/a", "/tencent/a"] {
            let delivered = receiver.delivered(path)
            #expect(delivered.count == count, "\(path): \(receiver.requests)")
            #expect(delivered.values.allSatisfy { $0 == 1 }, "\(path): \(delivered)")
            #expect(delivered.keys.allSatisfy { $0.hasPrefix("slad-") })
        }
        // The wrong secret: the "vendor" refuses the signature, a permanent error, one attempt each.
        try daemon.waitFor("the refused channels", seconds: 30) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel IN ('ali-wrong', 'tc-wrong') AND state = 'dead' AND attempts = 1") == 2 * count
        }
        #expect(receiver.requests.filter { $0.path.hasSuffix("/wrong") }.allSatisfy { $0.status == 401 })
        #expect(receiver.requests.filter { $0.path.hasSuffix("/a") }.allSatisfy { $0.status == 200 })
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }
}
