import SLAFormats
import Testing

/// Errors in a pretty-printed ticket name the line of the field at fault.
@Suite struct JSONPositionsTests {
    static let text = """
    {
      "id": "C1",
      "kind": "complaint",
      "asignee": "li-na",
      "tags": ["a", "b"],
      "note": "a \\"quoted\\" word, and a } brace",
      "events": [
        {"kind": "acknowledged", "at": "2025-09-22 10:10"},
        {
          "kind": "paused",
          "at": "yesterday"
        }
      ]
    }
    """

    @Test(arguments: [("id", 2), ("asignee", 4), ("tags[1]", 5), ("events", 7), ("events[0]", 8), ("events[0].at", 8),
                      ("events[1]", 9), ("events[1].at", 11), ("events[1].status", 9), ("created", nil)] as [(String, Int?)])
    func aPathNamesItsLine(path: String, line: Int?) {
        #expect(JSONPositions.line(of: path, in: Self.text) == line)
    }

    @Test func brokenTextGivesNoLine() {
        #expect(JSONPositions.line(of: "id", in: "{\"id\": ") == nil)
    }
}
