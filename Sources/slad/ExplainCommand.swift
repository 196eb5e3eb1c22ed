import ArgumentParser
import SLADaemon
import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// `slad explain`: which policy a ticket takes and why, its clocks, and when each step fires.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show which policy a ticket takes and why, its clocks, and when each step fires.",
        discussion: """
        The ticket is read from a JSON file in the format of docs/simulate.md (one ticket object; for a
        JSON Lines file of many, pick one with --id) or from standard input with '-', and explained with
        the rules in --rules (default ./rules). Times in the file are ISO 8601 with an offset, or local
        wall time in the rules' time zone.

        With --server the argument is the id of a ticket the running daemon holds, and the daemon
        explains it with the rules it runs and the steps it has sent (GET /v1/tickets/{id}/explain);
        --rules, --id and --fired do not apply then.

        A ticket without an assignee is routed first, as the daemon routes it when it is created (with no
        other tickets open: strategies see an empty workload), and the explanation says which route took
        it and why each earlier one did not (docs/dispatch.md).

        --at sets the instant to explain at (default: now); a time without an offset is read in the
        rules' time zone. Steps already sent can be listed with --fired 'respond - 30m' (repeatable) so
        they show as fired.

        Example:
          slad explain --at '2025-09-22 15:00' ticket.json
          slad explain --server http://127.0.0.1:8080 T-20251122-101500-3f2a
        """
    )

    @Argument(help: "A JSON file with the ticket, '-' for standard input, or with --server the ticket's id.")
    var ticketFile: String

    @Option(help: "Explain a ticket held by this running daemon (e.g. http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "The rules folder or files (\(RulesLocation.help)). Not with --server: the daemon uses its own.")
    var rules: [String] = []

    @Option(help: "In a JSON Lines file, the id of the ticket to explain.")
    var id: String?

    @Option(help: "The instant to explain at: '2025-09-22 15:00' (rules' time zone) or ISO 8601. Default: now.")
    var at: String?

    @Option(help: "A step already sent in the current cycle, by its key ('respond - 30m'); repeatable.")
    var fired: [String] = []

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() async throws {
        if let server {
            try await explainOnServer(server)
            return
        }
        let engine = try LoadedRules.engine(RulesLocation.resolve(rules))
        let zone = engine.displayZone
        let sent: [Firing] = []
        // Routed as the daemon would route it when it arrived (no other tickets: an empty workload).
        let ticket = RouteLedger.route([try readTicket(zone: zone)], engine: engine)[0].ticket
        // A value the rules refuse explains a missing or surprising policy: say so (the daemon would refuse it).
        for refusal in engine.rules.refusals(ticket.fields.refusableValues + ticket.events.flatMap(\.refusableValues)) {
            FileHandle.standardError.write(Data("\(ticketFile): warning: \(refusal.message)\n".utf8))
        }
        let now: Instant
        if let at {
            guard let parsed = LocalTime.parse(at, zone: zone) else {
                throw ValidationError("--at '\(at)' is not a time; write '2025-09-22 15:00' or 2025-09-22T15:00:00+08:00")
            }
            now = parsed
        } else {
            now = Instant(seconds: Int(Date().timeIntervalSince1970))
        }
        let cycle = engine.evaluate(ticket, at: now).cycle
        let policy = engine.evaluate(ticket, at: now).policy ?? ""
        let firings = sent + fired.map { Firing(policy: policy, step: $0, cycle: cycle, repeatIndex: 0) }
        let explanation = engine.explain(ticket, at: now, fired: firings)
        switch format {
        case .text: print(ExplainText(engine: engine, ticket: ticket, explanation: explanation).render())
        case .json: print(ExplainJSON.render(explanation, engine: engine))
        }
    }

    private func readTicket(zone: ZoneTable) throws -> Ticket {
        let text: String
        if ticketFile == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: ticketFile) else {
                FileHandle.standardError.write(Data("slad: cannot read '\(ticketFile)'\n".utf8))
                throw ExitCode(2)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // One object over many lines, or JSON Lines.
        let candidates: [(line: Int, text: String)] = lines.count > 1 && trimmed.hasPrefix("{") && lines.allSatisfy({ $0.element.hasPrefix("{") })
            ? lines.map { ($0.offset + 1, String($0.element)) }
            : [(1, trimmed)]
        var found: [Ticket] = []
        for candidate in candidates {
            switch TicketJSON.decode(candidate.text, zone: zone) {
            case let .success(ticket):
                if id == nil || ticket.id == id { found.append(ticket) }
            case let .failure(failure):
                // A pretty-printed ticket spans many lines: name the line of the field at fault.
                let line = candidate.line - 1 + (JSONPositions.line(of: failure.field, in: candidate.text) ?? 1)
                FileHandle.standardError.write(Data("\(ticketFile):\(line): error: \(failure)\n".utf8))
                throw ExitCode(1)
            }
        }
        guard let ticket = found.first else {
            FileHandle.standardError.write(Data("\(ticketFile): error: no ticket\(id.map { " with id '\($0)'" } ?? "") in the file\n".utf8))
            throw ExitCode(1)
        }
        if found.count > 1, id == nil {
            FileHandle.standardError.write(Data("\(ticketFile): error: the file holds \(candidates.count) tickets; choose one with --id\n".utf8))
            throw ExitCode(1)
        }
        return ticket
    }
}

/// Loads and checks rules for commands that run them; errors print like `slad check` and exit 1.
enum LoadedRules {
    static func engine(_ paths: [String]) throws -> Engine {
        let result: CheckResult
        do {
            (result, _) = try RuleFiles.check(paths)
        } catch {
            FileHandle.standardError.write(Data("slad: \(error)\n".utf8))
            throw ExitCode(2)
        }
        guard let rules = result.ruleSet else {
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                FileHandle.standardError.write(Data((DiagnosticRenderer.text(diagnostic, in: result) + "\n\n").utf8))
            }
            FileHandle.standardError.write(Data("slad: the rules have \(result.errorCount) error(s); run 'slad check' for details\n".utf8))
            throw ExitCode(1)
        }
        do {
            return try Engine(rules: rules)
        } catch {
            FileHandle.standardError.write(Data("slad: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension ExplainCommand {
    /// Asks the daemon to explain one of its tickets with the rules it runs (`GET /v1/tickets/{id}/explain`).
    func explainOnServer(_ server: String) async throws {
        for (given, option) in [(!rules.isEmpty, "--rules"), (id != nil, "--id"), (!fired.isEmpty, "--fired")] where given {
            throw ValidationError("\(option) does not apply with --server: the daemon explains its ticket with the rules it runs and the steps it has sent")
        }
        let client = try DaemonClient(server: server, token: nil)
        var path = "/v1/tickets/\(TicketCommand.escape(ticketFile))/explain?format=\(format.rawValue)"
        if let at {
            // '+' of an offset and the space of a wall time are escaped: a query reads '+' as a space.
            let value = at.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "0123456789-:TZ")) ?? at
            path += "&at=\(value)"
        }
        let text = try await call { try await client.getText(path) }
        print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }
}
