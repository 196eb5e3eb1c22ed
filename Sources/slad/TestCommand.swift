import ArgumentParser
import SLADaemon
import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// `slad test [PATH…]`: run rule unit tests (`*.slatest`) on virtual time and compare what fires with
/// what the tests expect.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule tests: tickets on virtual time in, expected escalations out.",
        discussion: """
        Reads every *.slatest file in the given folders (recursively) and any files named directly. \
        Each test declares tickets and incidents with their events at fixed instants, runs virtual \
        time up to 'run until', and lists every notification expected to fire:

          rules ..                 # the rules folder, relative to this file
          test "A级投诉：超时后才响应"
          ticket T1 kind=complaint grade=A assignee=zhang-wei at 2025-09-22 10:00
          event T1 acknowledged at 2025-09-22 12:30 by li-na
          run until 2025-09-22 18:00
          expect 2025-09-22 11:30 T1 "respond - 30m" notify zhang-wei via sms, console
          expect 2025-09-22 12:00 T1 respond notify li-na via sms, ops, console
          expect 2025-09-22 12:30 T1 clock respond breached

        Virtual time stops at every event and at every instant a step falls due, and each step fires \
        once, as in the daemon. Events at an instant happen before the steps due at it. What fired is \
        compared in full with the 'expect … notify' lines: a notification expected and not fired, one \
        fired and not expected, and one fired at another time or to other people are each a failure, \
        printed as the expected line (-) against what fired (+), with the test's file, line and name. \
        'expect … clock', 'expect … policy' and 'expect … step' lines check a ticket's clock, its \
        policy, or an incident's step at an instant.

        KPIs: 'expect 2025-09-29 10:00 kpi overdue-tickets@customer-service warning notify li-na via \
        ops' expects a KPI's notice (warning, breached, repeat-warning, repeat-breached, cleared), and \
        'expect … kpi repair-24h level breached value 75%' its state. The KPIs a test names are \
        looked at every whole minute of virtual time, as the daemon does; every notice of theirs must \
        be expected. A test that names no KPI sees no KPI notice.

        Times are local to the rules' first calendar (2025-09-22 10:00), or carry an offset \
        (2025-09-22T10:00+08:00). Without a 'rules' line a test file uses the folder above its own: \
        rules/tests/x.slatest uses rules/. The format is described in docs/testing-rules.md.

        Problems in a test file are printed as 'file:line:col: error: message' with the line, a caret \
        and a hint, and none of its tests run.

        Exit status: 0 when every test passes, 1 when a test fails or a test file or its rules have \
        errors, 2 when a path cannot be read.
        """
    )

    @Argument(help: "Test files (*.slatest) or folders to search for them. Default: ./rules/tests")
    var paths: [String] = []

    @Option(name: .customLong("rules"), help: ArgumentHelp("Use the rules in this folder for every test file, instead of each file's own.", valueName: "folder"))
    var rulesFolder: String?

    @Option(help: ArgumentHelp("Run only the tests whose name contains this text.", valueName: "text"))
    var filter: String?

    @Flag(name: .shortAndLong, help: "Print every test with everything that fired in it, as 'expect' lines.")
    var verbose = false

    func run() throws {
        let files: [String]
        do {
            files = try TestFiles.collect(paths.isEmpty ? ["rules/tests"] : paths)
        } catch {
            FileHandle.standardError.write(Data("slad: \(error)\n".utf8))
            throw ExitCode(2)
        }
        guard !files.isEmpty else {
            print("FAIL: no test files (*.slatest) in \((paths.isEmpty ? ["rules/tests"] : paths).joined(separator: ", "))")
            throw ExitCode(1)
        }
        var session = TestSession(rulesOverride: rulesFolder, filter: filter, verbose: verbose)
        for path in files {
            let text: String
            do {
                text = try TestFiles.read(path)
            } catch {
                FileHandle.standardError.write(Data("slad: \(error)\n".utf8))
                throw ExitCode(2)
            }
            session.runFile(path: path, text: text)
        }
        print(session.summary(fileCount: files.count))
        if !session.allPassed { throw ExitCode(1) }
    }
}

/// One `slad test` run over several files: loads each rule folder once, runs, prints, counts.
struct TestSession {
    let rulesOverride: String?
    let filter: String?
    let verbose: Bool
    var engines: [String: Result<Engine, RulesProblem>] = [:]
    var testCount = 0
    var failedCount = 0
    var brokenFiles = 0

    struct RulesProblem: Error {
        /// The folder cannot be read at all (rather than holding rules with errors).
        let isUnreadable: Bool
        let text: String
    }
    /// Rule folders whose errors have been printed.
    var reportedFolders: Set<String> = []

    init(rulesOverride: String?, filter: String?, verbose: Bool) {
        self.rulesOverride = rulesOverride
        self.filter = filter
        self.verbose = verbose
    }

    var allPassed: Bool { failedCount == 0 && brokenFiles == 0 && testCount > 0 }

    mutating func runFile(path: String, text: String) {
        let (file, diagnostics) = RuleTestParser.parse(text, path: path)
        guard diagnostics.isEmpty else { return broken(path, diagnostics.map(\.rendered), reason: "the file has errors") }
        let folder: String
        if let rulesOverride {
            folder = rulesOverride
        } else {
            let own = (path as NSString).deletingLastPathComponent
            let relative = file.rules?.value ?? ".."
            folder = TestFiles.normalize(relative.hasPrefix("/") ? relative : (own.isEmpty ? "." : own) + "/" + relative)
        }
        let engine: Engine
        switch loadEngine(folder) {
        case let .success(loaded):
            engine = loaded
        case let .failure(problem) where problem.isUnreadable:
            var lines = [problem.text]
            if let rules = file.rules, rulesOverride == nil {
                lines.insert(RuleTestDiagnostic(file: path, position: rules.position, message: "the rules for this file cannot be read",
                                                hint: "the folder is '\(folder)'", lineText: file.lines[rules.position.line - 1]).rendered, at: 0)
            }
            return broken(path, lines, reason: "its rules cannot be read")
        case let .failure(problem):
            // Rules with errors are printed once, however many test files use them.
            let lines = reportedFolders.insert(folder).inserted ? [problem.text] : []
            return broken(path, lines, reason: "the rules in '\(folder)' have errors")
        }
        let (tests, problems) = RuleTestCompiler.compile(file, engine: engine)
        guard problems.isEmpty else { return broken(path, problems.map(\.rendered), reason: "the file has errors") }
        let selected = tests.filter { test in filter.map { test.name.localizedCaseInsensitiveContains($0) } ?? true }
        guard !selected.isEmpty else { return }
        var failed = 0
        for test in selected {
            let outcome = RuleTestRunner.run(test, engine: engine)
            let notes = RuleTestReport.notes(outcome, zone: engine.displayZone)
            if !outcome.passed {
                failed += 1
                print((RuleTestReport.failure(outcome, zone: engine.displayZone) + notes).joined(separator: "\n"))
                print()
            } else if verbose || !notes.isEmpty {
                print("ok   \(test.file):\(test.line): test \"\(test.name)\"")
                notes.forEach { print($0) }
                if verbose { for line in RuleTestReport.timeline(outcome, zone: engine.displayZone) { print("    " + line) } }
            }
        }
        testCount += selected.count
        failedCount += failed
        let count = "\(selected.count) test\(selected.count == 1 ? "" : "s")"
        print(failed == 0 ? "ok   \(path) (\(count))" : "FAIL \(path) (\(failed) of \(count) failed)")
        if failed > 0 || verbose { print() }
    }

    mutating func broken(_ path: String, _ messages: [String], reason: String) {
        brokenFiles += 1
        for message in messages {
            print(message)
            print()
        }
        print("FAIL \(path) (not run: \(reason))")
        print()
    }

    mutating func loadEngine(_ folder: String) -> Result<Engine, RulesProblem> {
        if let cached = engines[folder] { return cached }
        let result: Result<Engine, RulesProblem>
        do {
            let (check, sourceCount) = try RuleFiles.check([folder])
            if check.errorCount > 0 || check.ruleSet == nil {
                let rendered = check.diagnostics.filter { $0.severity == .error }.map { DiagnosticRenderer.text($0, in: check) }
                result = .failure(RulesProblem(isUnreadable: false, text: (rendered + [DiagnosticRenderer.summary(check, sourceCount: sourceCount),
                                                                  "the rules in '\(folder)' have errors; fix them first ('slad check \(folder)')"])
                        .joined(separator: "\n\n")))
            } else if sourceCount == 0 {
                result = .failure(RulesProblem(isUnreadable: true, text: "slad: no rule files (*.sla) in '\(folder)'"))
            } else {
                result = .success(try Engine(rules: check.ruleSet!))
            }
        } catch let error as RuleFiles.Unreadable {
            result = .failure(RulesProblem(isUnreadable: true, text: "slad: \(error)"))
        } catch {
            result = .failure(RulesProblem(isUnreadable: false, text: "slad: \(error)"))
        }
        engines[folder] = result
        return result
    }

    func summary(fileCount: Int) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if allPassed { return "ok: \(plural(testCount, "test")) in \(plural(fileCount, "file"))" }
        var parts: [String] = []
        if brokenFiles > 0 { parts.append("\(plural(brokenFiles, "file")) with errors") }
        if failedCount > 0 { parts.append("\(failedCount) of \(plural(testCount, "test")) failed") }
        if parts.isEmpty, let filter { parts.append("no test matches '\(filter)'") }
        return "FAIL: \(parts.joined(separator: ", ")) in \(plural(fileCount, "file"))"
    }
}

/// Finds and reads rule test files.
enum TestFiles {
    /// Each folder contributes its `*.slatest` files (recursively, sorted by path); a file is taken as given.
    static func collect(_ paths: [String]) throws(RuleFiles.Unreadable) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw RuleFiles.Unreadable(path: path, reason: "no such file or directory")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard let enumerator = FileManager.default.enumerator(atPath: path) else {
                throw RuleFiles.Unreadable(path: path, reason: "the folder cannot be listed")
            }
            let names = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".slatest") }.sorted()
            files += names.map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
        }
        return files
    }

    /// `rules/tests/..` as `rules`, lexically (without following links), so that messages name the
    /// folder the way the operator would.
    static func normalize(_ path: String) -> String {
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true).map(String.init) where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        let joined = parts.joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func read(_ path: String) throws(RuleFiles.Unreadable) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleFiles.Unreadable(path: path, reason: FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
