import Foundation
import Testing
@testable import SLANotify

@Suite struct DigestTests {
    @Test func sha256AndSHA1KnownAnswers() {
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Digest.hex(Digest.sha256(long)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Digest.hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.hex(Digest.sha1(long)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func hmacRFC4231AndRFC2202() {
        // RFC 4231 test case 2 and RFC 2202 test case 2 ("Jefe").
        let message = Array("what do ya want for nothing?".utf8)
        #expect(Digest.hex(Digest.hmac(.sha256, key: Array("Jefe".utf8), message: message))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Digest.hex(Digest.hmac(.sha1, key: Array("Jefe".utf8), message: message)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        // RFC 4231 test case 6: a key longer than the block is hashed first.
        let key = [UInt8](repeating: 0xaa, count: 131)
        #expect(Digest.hex(Digest.hmac(.sha256, key: key, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func base64AndPercentEncoding() {
        #expect(Digest.base64(Array("".utf8)) == "")
        #expect(Digest.base64(Array("f".utf8)) == "Zg==")
        #expect(Digest.base64(Array("fo".utf8)) == "Zm8=")
        #expect(Digest.base64(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Digest.percentEncode("a b*~/+=") == "a%20b%2A~%2F%2B%3D")
        #expect(Digest.percentEncode("a b", plusForSpace: true) == "a+b")
        #expect(Digest.percentEncode("张") == "%E5%BC%A0")
    }
}

@Suite struct VendorSignatureTests {
    /// notifier-protocols.md §6 (computed with Python's hmac, following DingTalk's official sample).
    @Test func dingTalkSign() {
        let sign = DingTalkNotifier.sign(secret: "SECtestsecret", timestampMilliseconds: 1_700_000_000_000)
        #expect(sign == "7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=")
        #expect(Digest.percentEncode(sign, plusForSpace: true) == "7LVwF0dAF3%2F%2BMRRulbpE4y72Ogzykc6bS2nG4I99T4s%3D")
    }

    /// notifier-protocols.md §6: the key is timestamp + "\n" + secret, the message is empty.
    @Test func feishuSign() {
        #expect(FeishuNotifier.sign(secret: "testsecret", timestampSeconds: 1_700_000_000) == "AOc8oJ7//5OlQlfWC3nRL0R+IkuzcD1FKcAyibRK9Q8=")
        // The classic bug (DingTalk's order) gives something else.
        #expect(Digest.base64(Digest.hmacSHA256(key: "testsecret", message: "1700000000\ntestsecret")) != "AOc8oJ7//5OlQlfWC3nRL0R+IkuzcD1FKcAyibRK9Q8=")
    }

    /// Alibaba Cloud's documented RPC signature example (HMAC-SHA1 with RFC 3986 encoding).
    @Test func aliyunOfficialVector() {
        let parameters = ["AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
                          "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
                          "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"]
        let canonical = parameters.sorted { $0.key < $1.key }.map { Digest.percentEncode($0.key) + "=" + Digest.percentEncode($0.value) }.joined(separator: "&")
        func sign(_ method: String) -> String {
            let stringToSign = method + "&" + Digest.percentEncode("/") + "&" + Digest.percentEncode(canonical)
            return Digest.base64(Digest.hmac(.sha1, key: Array("testsecret&".utf8), message: Array(stringToSign.utf8)))
        }
        #expect(sign("GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        #expect(sign("POST") == "MxbnVAM4w6sft9xjVpe/GCKueuk=")
    }

    /// Tencent Cloud's documented TC3-HMAC-SHA256 example.
    @Test func tencentOfficialVector() {
        let body = #"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#
        let payloadHash = Digest.hex(Digest.sha256(Array(body.utf8)))
        let canonical = "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" + payloadHash
        let canonicalHash = Digest.hex(Digest.sha256(Array(canonical.utf8)))
        #expect(canonicalHash == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031")
        let stringToSign = "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n" + canonicalHash
        let kDate = Digest.hmac(.sha256, key: Array("TC3Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".utf8), message: Array("2019-02-25".utf8))
        let kService = Digest.hmac(.sha256, key: kDate, message: Array("cvm".utf8))
        let kSigning = Digest.hmac(.sha256, key: kService, message: Array("tc3_request".utf8))
        #expect(Digest.hex(Digest.hmac(.sha256, key: kSigning, message: Array(stringToSign.utf8)))
            == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
    }

    @Test func webhookSignatureIsHMACOfTimestampDotBody() {
        let body = Array(#"{"a":1}"#.utf8)
        let expected = "sha256=" + Digest.hex(Digest.hmacSHA256(key: "s3cret", message: #"1700000000.{"a":1}"#))
        #expect(WebhookNotifier.signature(secret: "s3cret", timestamp: 1_700_000_000, body: body) == expected)
    }
}
