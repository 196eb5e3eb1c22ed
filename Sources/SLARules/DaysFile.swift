/// Calendar data files (`*.days`): one dated exception per line, for `include` in a calendar.
///
/// ```
/// # 2027 public holidays — source and licence in this header
/// year 2027
/// 2027-10-01 off 国庆节
/// 2027-10-09 work 国庆节调休
/// ```
/// The format is deliberately line-based and plain so that a year's State Council notice can be typed
/// in, or converted from data, and reviewed line by line.
///
/// A file says which year's notice it holds with a `year YYYY` line, or else by a year in its name
/// (`cn-2027.days`). The calendar then has data for that year (`WorkCalendar.dataYears`), and the
/// file's lines are checked against it: every date inside the year (or in the December before it,
/// where a notice moves days around New Year), make-up working days only on days the week does not
/// already work, and no date twice.
enum DaysFile {
    /// One line that is not blank or a comment, split into fields with their byte ranges.
    struct Line {
        var fields: [(text: String, start: Int, end: Int)]
    }

    /// A `year` line or a dated line, read but not yet applied.
    struct Entry {
        let date: DayDate
        let day: CalendarDay
    }

    /// Reads a file into the calendar; returns whether the file says which year it holds.
    @discardableResult
    static func read(_ file: SourceFile, index: Int, into calendar: inout WorkCalendar, builder: inout RuleBuilder) -> Bool {
        func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: index, start: start, end: end) }
        var declared: [(year: Int, range: SourceRange)] = []
        var entries: [Entry] = []
        for line in lines(of: file) {
            let fields = line.fields
            if fields[0].text == "year" {
                let at = fields.count >= 2 ? range(fields[1].start, fields[1].end) : range(fields[0].start, fields[0].end)
                guard fields.count == 2, fields[1].text.count == 4, let year = Int(fields[1].text), (1900...2199).contains(year) else {
                    builder.diagnostics.error(.invalidCalendarLine, at: at, "expected a year such as 2027 after 'year'",
                                              hint: "the line is: year YYYY")
                    continue
                }
                declared.append((year, at))
                continue
            }
            guard let date = DayDate(fields[0].text) else {
                builder.diagnostics.error(.invalidCalendarLine, at: range(fields[0].start, fields[0].end),
                                          "'\(fields[0].text)' is not a valid date",
                                          hint: "each line is: YYYY-MM-DD off|work NAME (or: year YYYY)")
                continue
            }
            guard fields.count >= 2, fields[1].text == "off" || fields[1].text == "work" else {
                let at = fields.count >= 2 ? range(fields[1].start, fields[1].end) : range(fields[0].end, fields[0].end + 1)
                builder.diagnostics.error(.invalidCalendarLine, at: at, "expected 'off' or 'work' after the date",
                                          hint: Suggestion.hint(for: fields.count >= 2 ? fields[1].text : "", in: ["off", "work"])
                                              ?? "each line is: YYYY-MM-DD off|work NAME")
                continue
            }
            guard fields.count == 3, !fields[2].text.isEmpty else {
                builder.diagnostics.error(.invalidCalendarLine, at: range(fields[1].end, fields[1].end + 1),
                                          "the day has no name", hint: "name the holiday as the notice does, e.g. 国庆节")
                continue
            }
            entries.append(Entry(date: date, day: CalendarDay(isWorking: fields[1].text == "work", name: fields[2].text,
                                                              location: range(fields[0].start, fields[2].end))))
        }
        let years = Self.years(of: file, declared: declared, builder: &builder)
        calendar.dataYears.formUnion(years.map(\.year))
        var seen: [DayDate: SourceRange] = [:]
        for entry in entries {
            if let first = seen[entry.date] {
                builder.diagnostics.error(.dayListedTwice, at: entry.day.location, "\(entry.date) is listed twice in this file",
                                          hint: "keep one line per date", related: first)
                continue
            }
            seen[entry.date] = entry.day.location
            guard validate(entry, years: years, calendar: calendar, builder: &builder) else { continue }
            builder.addDay(entry.date, entry.day, to: &calendar)
        }
        return !years.isEmpty
    }

    /// The lines of a file that hold something, each split into up to three fields: the date (or `year`),
    /// the kind, and the name, which is the rest of the line up to a comment and may contain spaces.
    static func lines(of file: SourceFile) -> [Line] {
        let blank: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")]
        var result: [Line] = []
        for (offset, lineStart) in file.lineStarts.enumerated() {
            let lineEnd = offset + 1 < file.lineStarts.count ? file.lineStarts[offset + 1] - 1 : file.bytes.count
            var fields: [(text: String, start: Int, end: Int)] = []
            var position = lineStart
            while position < lineEnd {
                let byte = file.bytes[position]
                if byte == UInt8(ascii: "#") { break }
                if blank.contains(byte) {
                    position += 1
                    continue
                }
                let start = position
                if fields.count == 2 {
                    var end = start
                    while end < lineEnd, file.bytes[end] != UInt8(ascii: "#") { end += 1 }
                    while end > start, blank.contains(file.bytes[end - 1]) { end -= 1 }
                    fields.append((String(decoding: file.bytes[start..<end], as: UTF8.self), start, end))
                    break
                }
                while position < lineEnd, !blank.contains(file.bytes[position]), file.bytes[position] != UInt8(ascii: "#") {
                    position += 1
                }
                fields.append((String(decoding: file.bytes[start..<position], as: UTF8.self), start, position))
            }
            if !fields.isEmpty { result.append(Line(fields: fields)) }
        }
        return result
    }
}
