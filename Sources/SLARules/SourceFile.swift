/// One rule file's text, as handed to the language by whoever read it.
///
/// The language never opens files itself: the caller reads the bytes and passes them in,
/// so the same code serves `slad check`, the daemon's reload and the tests.
public struct SourceFile: Sendable, Hashable {
    /// The name used in diagnostics (usually the path as the operator typed it).
    public let path: String
    public let text: String
    /// The UTF-8 bytes of `text`; the lexer works on these.
    let bytes: [UInt8]
    /// Byte offset at which each line starts.
    let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters, not bytes) of a byte offset.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        let end = min(offset, bytes.count)
        let column = String(decoding: bytes[start..<max(start, end)], as: UTF8.self).count + 1
        return (low + 1, column)
    }

    /// The text of a 1-based line, without its line break.
    func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}

/// A place in a source file: the file and a byte range.
public struct SourceRange: Sendable, Hashable {
    public let file: Int
    public let start: Int
    public let end: Int

    public init(file: Int, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    func through(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: start, end: max(end, other.end))
    }
}

/// A resolved, human-facing location: what `file:line:col` prints.
public struct SourceLocation: Sendable, Hashable, Codable {
    public let file: String
    public let line: Int
    public let column: Int
}
