import ArgumentParser
import SLADaemon
import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// The files a history is read from: the rules, and the tickets (JSON Lines, or CSV through a mapping).
/// `slad simulate` and `slad report --tickets` read them the same way, with the same errors.
struct HistoryFiles {
    let rules: String
    let tickets: String
    let mapping: String?

    func loadEngine() throws -> Engine {
        let result: CheckResult
        do {
            (result, _) = try RuleFiles.check([rules])
        } catch {
            fail(2, "\(error)")
        }
        guard let ruleSet = result.ruleSet else {
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                FileHandle.standardError.write(Data((DiagnosticRenderer.text(diagnostic, in: result) + "\n").utf8))
            }
            fail(1, "the rules in '\(rules)' have errors; run 'slad check \(rules)'")
        }
        do {
            return try Engine(rules: ruleSet)
        } catch {
            fail(1, "\(error)")
        }
    }

    func loadInput(zone: ZoneTable, rules: RuleSet) throws -> SimulationInput {
        let bytes = read(tickets)
        if let mapping {
            let parsed = try readMapping(mapping)
            let refused = parsed.refusals(rules: rules)
            for failure in refused {
                FileHandle.standardError.write(Data("\(mapping):\(failure.line):\(failure.column): error: \(failure.message)\n".utf8))
            }
            if !refused.isEmpty { throw ExitCode(1) }
            do {
                return try SimulationInput.csv(bytes, mapping: parsed)
            } catch {
                switch error {
                case let .input(failure): fail(1, "\(tickets):\(failure)", prefix: false)
                case let .mapping(failure): fail(1, "\(mapping):\(failure.line):\(failure.column): error: \(failure.message)", prefix: false)
                }
            }
        }
        if tickets.lowercased().hasSuffix(".csv") {
            fail(1, "'\(tickets)' is CSV: say which columns hold what with --mapping FILE (docs/simulate.md; rules/mappings/ has examples)")
        }
        do {
            return try SimulationInput.jsonl(bytes, zone: zone)
        } catch {
            fail(1, "\(tickets):\(error)", prefix: false)
        }
    }

    /// A file's bytes; exits with status 2 when it cannot be read.
    func read(_ path: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            fail(2, "cannot read '\(path)': \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
        }
        return [UInt8](data)
    }

    /// A mapping file, parsed; every problem is printed at its line and column, then exit status 1.
    func readMapping(_ path: String) throws -> TicketMapping {
        switch TicketMapping.parse(String(decoding: read(path), as: UTF8.self)) {
        case let .success(value):
            return value
        case let .failure(failures):
            for failure in failures.all {
                FileHandle.standardError.write(Data("\(path):\(failure.line):\(failure.column): error: \(failure.message)\n".utf8))
            }
            throw ExitCode(1)
        }
    }

    /// Prints `slad: message` (or the message as it is, for `file:line:` messages) and exits.
    func fail(_ status: Int32, _ message: String, prefix: Bool = true) -> Never {
        let text = prefix ? "slad: \(message)\n" : (message.contains(": error: ") ? message : message.replacingFirstSpace(with: " error: ")) + "\n"
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(status)
    }
}

private extension String {
    /// `file:3:7: message` → `file:3:7: error: message`.
    func replacingFirstSpace(with replacement: String) -> String {
        guard let space = firstIndex(of: " ") else { return self }
        return String(self[..<space]) + replacement + String(self[index(after: space)...])
    }
}
