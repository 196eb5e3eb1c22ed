import ArgumentParser
import Foundation
import SLAFormats

/// `slad calendar`: the working-day calendar's yearly data.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Load a year's holiday notice into the working-day calendar.",
        subcommands: [CalendarImportCommand.self]
    )
}

/// `slad calendar import FILE.json [--out PATH]`: a holiday-cn JSON notice → a checked `.days` file.
struct CalendarImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a year's holiday notice (holiday-cn JSON) into a calendar data file.",
        discussion: """
        Reads one year's State Council holiday notice in the holiday-cn JSON format
        (https://github.com/NateScarlet/holiday-cn, file YYYY.json), checks it as 'slad check' will
        (dates inside the year, make-up working days on weekends, no date twice), and writes a
        calendar data file with a 'year' line and the notice's source in its header.

        Then add the file to the calendar (include "calendars/cn-2027.days"), run 'slad check',
        and reload the daemon ('systemctl reload slad'). docs/operations.md walks through it;
        a notice typed by hand into a .days file is checked the same way by 'slad check'.

        Example:
          slad calendar import 2027.json --out /etc/slad/rules/calendars/cn-2027.days

        Exit status: 0 when the file was written; 1 when the notice has problems (each named
        by its field, e.g. days[3].date) or the output file exists; 2 when a file cannot be
        read or written.
        """
    )

    @Argument(help: "The notice: a holiday-cn YYYY.json file.")
    var file: String

    @Option(help: ArgumentHelp("Where to write the calendar data file. Default: rules/calendars/cn-YEAR.days", valueName: "path"))
    var out: String?

    @Flag(help: "Replace the output file when it exists.")
    var force = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw fail("cannot read '\(file)'", status: 2)
        }
        let (parsed, problems) = HolidayNotice.parse(data)
        guard let notice = parsed else { throw refuse(problems) }
        let path = out ?? "rules/calendars/cn-\(notice.year).days"
        let text = notice.daysText(importedFrom: (file as NSString).lastPathComponent)
        let invalid = notice.validate(daysText: text, path: path)
        guard invalid.isEmpty else { throw refuse(invalid) }
        if FileManager.default.fileExists(atPath: path), !force {
            throw fail("'\(path)' exists; nothing written (--force replaces it)", status: 1)
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw fail("cannot write '\(path)': \(error.localizedDescription)", status: 2)
        }
        let holidays = notice.days.filter(\.isOffDay).count
        let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let include = folder == "calendars" ? "calendars/" + (path as NSString).lastPathComponent : path
        print("""
        wrote \(path): \(notice.year), \(holidays) holidays and \(notice.days.count - holidays) make-up working days
        next:
          1. add to the calendar block (rules/calendar.sla):  include "\(include)"
          2. slad check
          3. reload the daemon: systemctl reload slad
        """)
    }

    private func refuse(_ problems: [HolidayNotice.Problem]) -> ExitCode {
        for problem in problems {
            FileHandle.standardError.write(Data("\(file): \(problem.field): error: \(problem.message)\n".utf8))
        }
        FileHandle.standardError.write(Data("slad: \(problems.count) problem\(problems.count == 1 ? "" : "s") in '\(file)'; nothing written\n".utf8))
        return ExitCode(1)
    }

    private func fail(_ message: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("slad: \(message)\n".utf8))
        return ExitCode(status)
    }
}
