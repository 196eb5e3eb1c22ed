import ArgumentParser
import Foundation
import SLAClassify
import SLAEngine
import SLAFormats

/// What `slad route train` and `slad route evaluate` both read: a labelled ticket history and how to split it.
struct RouteInput: ParsableArguments {
    @Argument(help: "The labelled history: a CSV export (with --mapping) or JSON Lines tickets, as 'slad simulate' reads.")
    var input: String

    @Option(help: "How to read a CSV export: the mapping file 'slad simulate' uses (docs/simulate.md); its category and text columns are what the model reads.")
    var mapping: String?

    @Option(help: "The answer to learn: the CSV column (or JSON Lines field) naming who handled each ticket, e.g. a team. Rows without one are skipped and counted.")
    var label: String

    @Option(help: "Hold out the last N% of the rows, in file order (a history in time order: test on the latest tickets), e.g. 20%.")
    var holdout: String?

    @Option(help: "Hold out every K-th row (the K-th, 2K-th, …), spread over the whole history.")
    var testEvery: Int?

    /// The split asked for, or nil; exits with status 1 on a bad one.
    func split() -> HoldoutSplit? {
        if holdout != nil, testEvery != nil { fail(1, "--holdout and --test-every both say which rows to hold out; give one") }
        var split: HoldoutSplit?
        if let holdout {
            let digits = holdout.hasSuffix("%") ? String(holdout.dropLast()) : holdout
            guard let percent = Int(digits) else { fail(1, "--holdout: '\(holdout)' is not a percentage; write e.g. 20%") }
            split = .last(percent: percent)
        }
        if let testEvery { split = .every(testEvery) }
        if let problem = split?.problem { fail(1, "\(holdout != nil ? "--holdout" : "--test-every"): \(problem)") }
        return split
    }

    /// Where the split came from, for people: "the last 20%", "every 5th row".
    static func describe(_ split: HoldoutSplit) -> String {
        switch split {
        case let .last(percent): "the last \(percent)% of the rows"
        case let .every(k): "one row in \(k)"
        }
    }

    /// The labelled examples; a malformed file or a label column that is not there exits with status 1
    /// naming the file and line, an unreadable one with status 2.
    func load() throws -> LabelledHistory {
        let files = HistoryFiles(rules: "", tickets: input, mapping: mapping)
        let bytes = files.read(input)
        let history: LabelledHistory
        if let mapping {
            let parsed = try files.readMapping(mapping)
            do {
                history = try LabelledHistory.csv(bytes, mapping: parsed, labelColumn: label)
            } catch {
                switch error {
                case let .input(failure): files.fail(1, "\(input):\(failure)", prefix: false)
                case let .mapping(failure): files.fail(1, "\(mapping):\(failure.line):\(failure.column): error: \(failure.message)", prefix: false)
                }
            }
        } else {
            if input.lowercased().hasSuffix(".csv") {
                fail(1, "'\(input)' is CSV: say which columns hold the ticket with --mapping FILE (docs/simulate.md; rules/mappings/ has examples)")
            }
            do {
                // Times only order a ticket's events, which a model does not read: UTC is as good as any zone.
                history = try LabelledHistory.jsonl(bytes, zone: ZoneTable(identifier: "UTC")!, labelField: label)
            } catch {
                files.fail(1, "\(input):\(error)", prefix: false)
            }
        }
        guard !history.examples.isEmpty else {
            fail(1, "\(input): no row has a label in '\(label)' (\(history.rows) rows read: \(Self.tally(history))); name the column of who handled each ticket with --label")
        }
        return history
    }

    /// "880 labelled; 120 skipped by the mapping (…)": what became of the rows.
    static func tally(_ history: LabelledHistory) -> String {
        var parts = ["\(history.examples.count) labelled"]
        func add(_ tally: RowTally, _ what: String) {
            guard tally.total > 0 else { return }
            let reasons = tally.byCount.prefix(3).map { "\($0.reason): \($0.count), e.g. line \($0.lines[0])" }
            parts.append("\(tally.total) \(what) (\(reasons.joined(separator: "; "))\(tally.entries.count > 3 ? "; …" : ""))")
        }
        add(history.unlabelled, "without a label")
        add(history.skipped, "skipped by the mapping")
        add(history.rejected, "rejected")
        return parts.joined(separator: "; ")
    }

    func fail(_ status: Int32, _ message: String) -> Never {
        HistoryFiles(rules: "", tickets: input, mapping: mapping).fail(status, message)
    }
}
