/// Reads the trouble lines of a `watch` block after their keyword: each gives its value, or nil for `off`.
/// An out-of-range value names the line and the range that would be valid.
enum WatchLines {
    /// A trouble measured in time: the words after the keyword, the word before the duration, the range.
    struct DurationLine {
        let keyword: String
        let words: [String]
        let link: String
        let range: ClosedRange<Int>
        let defaultSeconds: Int
        let meaning: String

        var text: String { ([keyword] + words + [link]).joined(separator: " ") }
        var offText: String { ([keyword] + words + ["off"]).joined(separator: " ") }

        static let scansFailing = DurationLine(keyword: "scans", words: ["failing"], link: "for", range: 10...86_400,
                                               defaultSeconds: WatchSettings.defaults.scansFailingFor,
                                               meaning: "how long scans must fail before slad says so")
        static let channelDown = DurationLine(keyword: "channel", words: ["down"], link: "for", range: 10...86_400,
                                              defaultSeconds: WatchSettings.defaults.channelDownFor,
                                              meaning: "how long a channel must fail, delivering nothing, before slad says so")
        static let clockJump = DurationLine(keyword: "clock", words: ["jump"], link: "above", range: 10...86_400,
                                            defaultSeconds: WatchSettings.defaults.clockJump,
                                            meaning: "how far the wall clock may jump before slad says so")
    }

    /// `scans failing for 5m`, `scans failing off`.
    static func duration(_ reader: inout StatementReader, _ line: DurationLine) throws(ParseFailure) -> Int? {
        for word in line.words {
            _ = try reader.expectWord([word], hint: "write '\(line.text) \(Duration(seconds: line.defaultSeconds))' or '\(line.offText)'")
        }
        let link = try reader.expectWord([line.link, "off"], hint: "write '\(line.text) DURATION' or '\(line.offText)'")
        if link.text == "off" {
            try reader.expectEnd()
            return nil
        }
        let seconds = try within(&reader, line.range, what: line.text, meaning: line.meaning,
                                 default: Duration(seconds: line.defaultSeconds))
        try reader.expectEnd()
        return seconds
    }

    /// What `outbox …` watches; both nil for `outbox off`.
    struct Outbox {
        var jobs: Int?
        var age: Int?
    }

    static let outboxJobs = 1...1_000_000
    static let outboxAge = 10...(7 * 86_400)
    static let outboxForms = "'outbox above 1000 jobs', 'outbox older than 30m', 'outbox above 1000 jobs or older than 30m' or 'outbox off'"

    /// `outbox above 1000 jobs or older than 30m`, either half alone, or `outbox off`. The line says all
    /// that is watched: a half left out is not watched.
    static func outbox(_ reader: inout StatementReader) throws(ParseFailure) -> Outbox {
        let first = try reader.expectWord(["above", "older", "off"], hint: "write \(outboxForms)")
        if first.text == "off" {
            try reader.expectEnd()
            return Outbox()
        }
        var outbox = Outbox()
        if first.text == "above" {
            outbox.jobs = try jobs(&reader)
            guard reader.accept("or") else {
                try reader.expectEnd("add 'or older than 30m' to watch the oldest notice's wait too")
                return outbox
            }
            _ = try reader.expectWord(["older"], hint: "write \(outboxForms)")
        }
        _ = try reader.expectWord(["than"], hint: "write 'older than 30m'")
        outbox.age = try within(&reader, outboxAge, what: "outbox older than", meaning: "how long the oldest pending notice may wait",
                                default: Duration(seconds: WatchSettings.defaults.outboxAge))
        try reader.expectEnd(first.text == "older" ? "write 'outbox above 1000 jobs or older than 30m' to watch both" : nil)
        return outbox
    }

    /// `1000 jobs`.
    private static func jobs(_ reader: inout StatementReader) throws(ParseFailure) -> Int {
        guard let token = reader.peek, token.kind == .literal else {
            throw reader.failure("a number of pending notices such as 1000", hint: "write 'outbox above 1000 jobs'")
        }
        _ = reader.advance()
        guard let count = Int(token.text) else {
            throw ParseFailure(diagnostic: Diagnostic(.invalidNumber, at: token.range, "'\(token.text)' is not a whole number of jobs",
                                                      hint: "write 'outbox above 1000 jobs'"))
        }
        guard outboxJobs.contains(count) else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "'outbox above \(count) jobs' is out of range",
                                                      hint: "write 1 to 1000000 jobs; the default is \(WatchSettings.defaults.outboxJobs)"))
        }
        _ = try reader.expectWord(["jobs"], hint: "write 'outbox above \(count) jobs'")
        return count
    }

    /// `calendar running out`, `calendar off`: whether a calendar's holiday data running out is a trouble.
    static func calendar(_ reader: inout StatementReader) throws(ParseFailure) -> Bool {
        let word = try reader.expectWord(["running", "off"], hint: "write 'calendar running out' or 'calendar off'")
        if word.text == "running" { _ = try reader.expectWord(["out"], hint: "write 'calendar running out'") }
        try reader.expectEnd()
        return word.text == "running"
    }

    static let diskPercent = 1...99
    static let diskForms = "a share such as 5% (1% to 99%) or a size such as 500MB or 2GB (at least 1MB)"

    /// `disk free below 5%`, `disk free below 500MB`, `disk off` (or `disk free off`).
    static func disk(_ reader: inout StatementReader) throws(ParseFailure) -> DiskFreeLine? {
        if reader.accept("off") {
            try reader.expectEnd()
            return nil
        }
        _ = try reader.expectWord(["free"], hint: "write 'disk free below 5%' or 'disk off'")
        let word = try reader.expectWord(["below", "off"], hint: "write 'disk free below 5%' or 'disk off'")
        if word.text == "off" {
            try reader.expectEnd()
            return nil
        }
        guard let token = reader.peek, token.kind == .literal else {
            throw reader.failure(diskForms, hint: "write 'disk free below 5%' or 'disk off'")
        }
        _ = reader.advance()
        try reader.expectEnd()
        return try diskLine(token)
    }

    /// `5%`, `500MB`, `2GB` (MB = 2^20 bytes, GB = 2^30).
    private static func diskLine(_ token: Token) throws(ParseFailure) -> DiskFreeLine {
        let text = token.text
        let units: [(suffix: String, shift: Int)] = [("%", 0), ("MB", 20), ("GB", 30)]
        guard let unit = units.first(where: { text.hasSuffix($0.suffix) }), let number = Int(text.dropLast(unit.suffix.count)) else {
            throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: token.range, "'\(text)' is not a free-space line",
                                                      hint: "write \(diskForms)"))
        }
        if unit.suffix == "%" {
            guard diskPercent.contains(number) else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "'disk free below \(text)' is out of range",
                                                          hint: "write 1% to 99%; the default is \(WatchSettings.defaults.diskFree)"))
            }
            return .percent(number)
        }
        guard number >= 1, number <= 1 << (52 - unit.shift) else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range, "'disk free below \(text)' is out of range",
                                                      hint: "write at least 1MB, such as 500MB or 2GB, or a share such as 5%"))
        }
        return .bytes(number << unit.shift)
    }

    /// A duration within `range`, or E115 naming the line, the range and the default.
    private static func within(_ reader: inout StatementReader, _ range: ClosedRange<Int>, what: String, meaning: String,
                               default value: Duration) throws(ParseFailure) -> Int {
        let (duration, at) = try reader.expectDuration()
        guard range.contains(duration.seconds) else {
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: at, "'\(what) \(duration)' is out of range (\(meaning))",
                                                      hint: "write \(Duration(seconds: range.lowerBound)) to \(Duration(seconds: range.upperBound)); "
                                                          + "the default is \(value)"))
        }
        return duration.seconds
    }
}
