@testable import SLAFormats
import Testing

@Suite struct CSVReaderTests {
    func records(_ text: String) throws -> [[String]] {
        var reader = CSVReader(Array(text.utf8))
        var fields: [CSVReader.Field] = []
        var result: [[String]] = []
        while try reader.next(into: &fields) != nil {
            result.append(fields.map { reader.string($0) })
        }
        return result
    }

    @Test func plainQuotedAndEscapedFields() throws {
        let text = "id,name,note\r\n1,\"Smith, J\",\"said \"\"hi\"\"\"\r\n2,,plain\n3,\"two\nlines\",x"
        #expect(try records(text) == [["id", "name", "note"], ["1", "Smith, J", "said \"hi\""], ["2", "", "plain"],
                                      ["3", "two\nlines", "x"]])
    }

    @Test func trailingCommaEmptyFieldsBlankLinesAndBOM() throws {
        #expect(try records("\u{FEFF}a,b,\n\n\r\nc,,d\n") == [["a", "b", ""], ["c", "", "d"]])
        #expect(try records("a,b") == [["a", "b"]])
        #expect(try records("") == [])
    }

    @Test func lineNumbersCountLineBreaksInsideQuotes() throws {
        var reader = CSVReader(Array("h\n\"a\nb\nc\"\nlast\n".utf8))
        var fields: [CSVReader.Field] = []
        #expect(try reader.next(into: &fields) == 1)
        #expect(try reader.next(into: &fields) == 2)
        #expect(try reader.next(into: &fields) == 5)
        #expect(try reader.next(into: &fields) == nil)
    }

    @Test func unterminatedQuoteNamesWhereItOpens() {
        var reader = CSVReader(Array("id,name\n1,ok\n2,\"never closed,\n3,x\n".utf8))
        var fields: [CSVReader.Field] = []
        #expect(throws: CSVReader.Failure(line: 3, column: 3, message: "a quoted field is never closed (the quote opens here)")) {
            while try reader.next(into: &fields) != nil {}
        }
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        var reader = CSVReader(Array("a,\"b\"c,d\n".utf8))
        var fields: [CSVReader.Field] = []
        #expect(throws: CSVReader.Failure.self) { try reader.next(into: &fields) }
        do {
            _ = try reader.next(into: &fields)
        } catch {
            #expect(error.line == 1)
            #expect(error.column == 6)
        }
    }

    @Test func columnsCountCharactersNotBytes() {
        var reader = CSVReader(Array("编号,名称\n一,\"二\"三\n".utf8))
        var fields: [CSVReader.Field] = []
        do {
            while try reader.next(into: &fields) != nil {}
            Issue.record("expected a failure")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 6)
        }
    }

    @Test func trimmedStringDropsSurroundingSpaces() throws {
        var reader = CSVReader(Array("  padded  ,\"  kept  \"\n".utf8))
        var fields: [CSVReader.Field] = []
        _ = try reader.next(into: &fields)
        #expect(reader.trimmedString(fields[0]) == "padded")
        #expect(reader.string(fields[1]) == "  kept  ")
    }
}
