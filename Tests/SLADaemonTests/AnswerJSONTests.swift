import Foundation
@testable import SLADaemon
import Testing

/// The API's own JSON writer writes exactly what `JSONSerialization` writes with sorted keys and
/// unescaped slashes (the answers did not change when it replaced it), and hands back anything it does
/// not know.
@Suite struct AnswerJSONTests {
    func foundation(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    func ours(_ object: Any) throws -> String {
        String(decoding: try #require(AnswerJSON.data(object)), as: UTF8.self)
    }

    @Test func answersAreByteForByteFoundations() throws {
        let ticket: [String: Any] = [
            "id": "T-20261203-101500-00af", "status": "open", "policy": NSNull(), "overdue": false, "cycle": 0,
            "created": "2026-12-03T10:15:00+08:00", "nextDue": NSNull(), "repeatOf": "T-1",
            "clocks": [["name": "respond", "title": "响应", "state": "running", "secondsLeft": 28_800, "budgetSeconds": 28_800,
                        "usedSeconds": 0, "workingTime": true, "deadline": NSNull()]],
            "timeline": [["type": "event", "kind": "opened", "at": "2026-12-03T10:15:00+08:00", "actor": "desk"],
                         ["type": "delivery", "outbox": Int64(42), "attempt": Int32(1), "recipients": ["张伟 +8613800000001"]]],
            "tags": ["漏水", "a/b"], "text": "楼上\"深夜\"噪音\\ 换行\n回车\r制表\t\u{1}\u{8}\u{c}\u{1f}\u{7f}\u{2028}é",
        ]
        #expect(try ours(ticket) == foundation(ticket))
        // Keys whose order is not byte order: case, digits, underscores, ties, non-ASCII.
        let keys: [String: Any] = ["_x": 1, "a9": 2, "a10": 3, "ab": 4, "aB": 5, "b": 6, "B": 7, "Z": 8, "中": 9, "é": 10, "e": 11, "": 12]
        #expect(try ours(keys) == foundation(keys))
        #expect(try ours(keys) == foundation(keys), "the remembered order is the same")
        // Keys holding U+0000 (a site name is the client's text): two sets that would join alike stay apart.
        let nul1: [String: Any] = ["a\u{0}b": 1, "c": 2], nul2: [String: Any] = ["a": 1, "b\u{0}c": 2]
        #expect(try ours(nul1) == foundation(nul1) && ours(nul2) == foundation(nul2))
        let batch: [String: Any] = ["created": 2, "present": 0, "failed": 1,
                                    "results": [["index": 0, "line": 1, "id": "A", "status": 201],
                                                ["index": 1, "status": 422, "error": ["code": "invalid_ticket", "message": "m", "field": "kind"]]]]
        #expect(try ours(batch) == foundation(batch))
        let typed: [String: Any] = ["byPolicy": ["repair": 3, "hot": 0] as [String: Int], "ints": [3, 1, 2], "names": ["b", "a"],
                                    "nested": [["k": ["x", "y"]]] as [[String: [String]]]]
        #expect(try ours(typed) == foundation(typed))
        #expect(try ours([Any]()) == foundation([Any]()))
        #expect(try ours([String: Any]()) == foundation([String: Any]()))
    }

    @Test func aValueItDoesNotKnowIsLeftToFoundation() {
        #expect(AnswerJSON.data(["ratio": 0.5]) == nil)
        #expect(AnswerJSON.data(["n": NSNumber(value: 3)]) == nil)
        #expect(AnswerJSON.data(["list": [1, 2.5]]) == nil)
    }

    /// A typed answer (AnswerEncoder) is written byte for byte as the dictionary it replaced (docs/adr/0028).
    @Test func typedAnswersAreWrittenAsTheirDictionaries() throws {
        struct Row: Encodable { let name: String; let count: Int64; let ok: Bool; let tags: [String] }
        struct Answer: Encodable {
            let id: Int; let text: String; let absent: String?; let rows: [Row]
            let note: String?
            enum CodingKeys: String, CodingKey { case id, text, absent, rows, note }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(text, forKey: .text)
                try container.encodeIfPresent(absent, forKey: .absent)
                try container.encode(rows, forKey: .rows)
                try container.encode(note, forKey: .note)   // null, written
            }
        }
        let typed = Answer(id: 7, text: "楼上\"深夜\"\n\u{1}a/b", absent: nil,
                           rows: [Row(name: "张伟", count: 3, ok: true, tags: ["x", "y"])], note: nil)
        let dictionary: [String: Any] = ["id": 7, "text": "楼上\"深夜\"\n\u{1}a/b", "note": NSNull(),
                                         "rows": [["name": "张伟", "count": Int64(3), "ok": true, "tags": ["x", "y"]]]]
        #expect(try ours(AnswerEncoder.value(typed)) == foundation(dictionary))
        let failure = API.Failure(status: .unprocessableContent, code: "invalid_ticket", message: "unknown field 'asignee'", field: "asignee")
        #expect(try ours(AnswerEncoder.value(API.ErrorAnswer(error: API.ErrorDetail(failure))))
            == foundation(["error": ["code": "invalid_ticket", "message": "unknown field 'asignee'", "field": "asignee"]]))
        let bare = API.Failure(status: .notFound, code: "not_found", message: "no such path")
        #expect(try ours(AnswerEncoder.value(API.ErrorAnswer(error: API.ErrorDetail(bare))))
            == foundation(["error": ["code": "not_found", "message": "no such path"]]))
    }
}
