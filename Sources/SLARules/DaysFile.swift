/// Calendar data files (`*.days`): one dated exception per line, for `include` in a calendar.
///
/// ```
/// # 2026 public holidays — source and licence in this header
/// 2026-10-01 off 国庆节
/// 2026-10-10 work 国庆节调休
/// ```
/// The format is deliberately line-based and plain so that a year's State Council notice can be typed
/// in, or converted from data, and reviewed line by line.
enum DaysFile {
    static func read(_ file: SourceFile, index: Int, into calendar: inout WorkCalendar, builder: inout RuleBuilder) {
        for (offset, lineStart) in file.lineStarts.enumerated() {
            let lineEnd = offset + 1 < file.lineStarts.count ? file.lineStarts[offset + 1] - 1 : file.bytes.count
            var fields: [(text: String, start: Int, end: Int)] = []
            var position = lineStart
            while position < lineEnd {
                let byte = file.bytes[position]
                if byte == UInt8(ascii: "#") { break }
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                    position += 1
                    continue
                }
                let start = position
                if fields.count == 2 {
                    // The name is the rest of the line (it may contain spaces), up to a comment.
                    var end = start
                    while end < lineEnd, file.bytes[end] != UInt8(ascii: "#") { end += 1 }
                    while end > start, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(file.bytes[end - 1]) { end -= 1 }
                    fields.append((String(decoding: file.bytes[start..<end], as: UTF8.self), start, end))
                    break
                }
                while position < lineEnd, ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "#"), UInt8(ascii: "\r")].contains(file.bytes[position]) {
                    position += 1
                }
                fields.append((String(decoding: file.bytes[start..<position], as: UTF8.self), start, position))
            }
            guard !fields.isEmpty else { continue }
            func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: index, start: start, end: end) }
            guard let date = DayDate(fields[0].text) else {
                builder.diagnostics.error(.invalidCalendarLine, at: range(fields[0].start, fields[0].end),
                                          "'\(fields[0].text)' is not a valid date",
                                          hint: "each line is: YYYY-MM-DD off|work NAME")
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
            let day = CalendarDay(isWorking: fields[1].text == "work", name: fields[2].text,
                                  location: range(fields[0].start, fields[2].end))
            builder.addDay(date, day, to: &calendar)
        }
    }
}
