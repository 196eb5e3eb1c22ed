/// The checks a calendar data file gets beyond its syntax: which year it holds, and whether each line
/// makes sense for that year and the calendar's week.
extension DaysFile {
    /// A year the file holds, and how it says so (for messages).
    struct DeclaredYear {
        let year: Int
        /// "'year 2027' on line 3" or "its name cn-2027.days".
        let source: String
    }

    /// The years a file holds: its `year` lines, else the year in its name. A name that disagrees with
    /// the `year` lines is an error (a copy of last year's file, renamed, with the old line left in).
    static func years(of file: SourceFile, declared: [(year: Int, range: SourceRange)],
                      builder: inout RuleBuilder) -> [DeclaredYear] {
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        let named = yearInName(name)
        if declared.isEmpty {
            return named.map { [DeclaredYear(year: $0, source: "its name \(name)")] } ?? []
        }
        if let named, !declared.contains(where: { $0.year == named }) {
            builder.diagnostics.error(.dayOutsideYear, at: declared[0].range,
                                      "this file declares year \(declared[0].year) but its name \(name) says \(named)",
                                      hint: "rename the file after the year it holds, or correct the 'year' line")
        }
        return declared.map { declaredYear in
            let line = file.lineAndColumn(of: declaredYear.range.start).line
            return DeclaredYear(year: declaredYear.year, source: "'year \(declaredYear.year)' on line \(line)")
        }
    }

    /// A year 1900–2199 written as exactly four digits in a file name: `cn-2027.days` → 2027.
    static func yearInName(_ name: String) -> Int? {
        var runs: [Int] = []
        var digits = ""
        for character in name + "." {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if digits.count == 4, let year = Int(digits), (1900...2199).contains(year) { runs.append(year) }
            digits = ""
        }
        return runs.count == 1 ? runs[0] : nil
    }

    /// Whether a line may be applied: inside the file's year, and a make-up working day only on a day the
    /// calendar's week does not already work. Reports the problem and returns false otherwise.
    static func validate(_ entry: Entry, years: [DeclaredYear], calendar: WorkCalendar, builder: inout RuleBuilder) -> Bool {
        let date = entry.date
        if let first = years.first, !years.contains(where: { $0.year == date.year || date.month == 12 && $0.year == date.year + 1 }) {
            var hint = "a file holds one year's notice; dates of another year go in that year's file"
            if years.count == 1, let fixed = DayDate(year: first.year, month: date.month, day: date.day) {
                hint = "did you mean \(fixed)?"
            }
            builder.diagnostics.error(.dayOutsideYear, at: entry.day.location,
                                      "\(date) is not in \(years.map { String($0.year) }.joined(separator: ", ")), the year this file holds (by \(first.source))",
                                      hint: hint)
            return false
        }
        if entry.day.isWorking, calendar.workdays.contains(date.weekday) {
            builder.diagnostics.error(.makeUpDayNotOnWeekend, at: entry.day.location,
                                      "\(date) is a \(date.weekday.englishName), a working day anyway: a make-up working day ('work') is a weekend day that is worked",
                                      hint: "check the date against the notice; a holiday is written 'off'")
            return false
        }
        return true
    }
}

extension Weekday {
    /// `Monday` … `Sunday`, for messages.
    public var englishName: String {
        switch self {
        case .mon: "Monday"
        case .tue: "Tuesday"
        case .wed: "Wednesday"
        case .thu: "Thursday"
        case .fri: "Friday"
        case .sat: "Saturday"
        case .sun: "Sunday"
        }
    }
}
