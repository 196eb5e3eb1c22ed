import ArgumentParser
import Foundation

/// `slad incident …`: emergency plans and drills in a running daemon.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Declare incidents and drills, confirm their steps, raise, close, and print reports.",
        discussion: """
        Talks to 'slad serve' over its HTTP API (docs/api.md). Writes need the daemon's bearer token in \
        the environment variable named by --token-env (SLAD_TOKEN by default). docs/plans.md explains \
        plans, drills and the report.

        Examples:
          slad incident open elevator-trapped --site 翠湖花园 --building 7栋
          slad incident drill elevator-trapped --site 翠湖花园
          slad incident confirm ID arrive --note "维保已到场"
          slad incident raise ID I
          slad incident close ID --reason "已恢复供水"
          slad incident report ID --format html --output drill.html
          slad incident trend elevator-trapped --last 4
        """,
        subcommands: [Open.self, Drill.self, List.self, Show.self, Confirm.self, Raise.self, Close.self, Report.self, Trend.self]
    )

    struct Declaration: ParsableArguments {
        @Argument(help: "The plan, by its name in the rules (elevator-trapped, water-outage, …).") var plan: String
        @Option(help: "The incident's id. Default: I-/D-YYYYMMDD-HHMMSS-PLAN.") var id: String?
        @Option(help: "I, II or III. Default: the plan's level.") var level: String?
        @Option var site: String?
        @Option var building: String?

        func object(drill: Bool, by: String) -> [String: Any] {
            var object: [String: Any] = ["plan": plan, "drill": drill, "by": by]
            for (key, value) in [("id", id), ("level", level), ("site", site), ("building", building)] {
                if let value { object[key] = value }
            }
            return object
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare an incident: every step's clock starts now.")
        @OptionGroup var server: ServerOptions
        @OptionGroup var declaration: Declaration
        @Flag(help: "Run the plan as a drill (every message marked 【演练】).") var drill = false

        func run() async throws {
            let object = declaration.object(drill: drill, by: server.by)
            IncidentPrinter.print(try await call { try await server.client().post("/v1/incidents", object) })
        }
    }

    struct Drill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a drill of a plan (the same as 'open --drill').")
        @OptionGroup var server: ServerOptions
        @OptionGroup var declaration: Declaration

        func run() async throws {
            let object = declaration.object(drill: true, by: server.by)
            IncidentPrinter.print(try await call { try await server.client().post("/v1/incidents", object) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List incidents and drills, newest first.")
        @OptionGroup var server: ServerOptions
        @Option var plan: String?
        @Option(help: "open or closed") var state: String?
        @Flag(help: "Only drills.") var drills = false
        @Flag(help: "Only real incidents.") var real = false
        @Option var limit: Int = 100

        func run() async throws {
            var query = ["limit=\(limit)"]
            for (key, value) in [("plan", plan), ("state", state)] {
                if let value { query.append("\(key)=\(TicketCommand.escape(value))") }
            }
            if drills != real { query.append("drill=\(drills)") }
            IncidentPrinter.printList(try await call { try await server.client().get("/v1/incidents?" + query.joined(separator: "&")) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an incident: its steps, deadlines and confirmations.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Flag(help: "Print the JSON as the API returns it.") var json = false

        func run() async throws {
            let result = try await call { try await server.client().get("/v1/incidents/\(TicketCommand.escape(id))") }
            json ? TicketPrinter.printJSON(result) : IncidentPrinter.print(result)
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm that a step is done (who: --by, default $USER).")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Argument var step: String
        @Option var note: String?

        func run() async throws {
            var object: [String: Any] = ["step": step, "by": server.by]
            if let note { object["note"] = note }
            try await change(server, id, "confirm", object)
        }
    }

    struct Raise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raise the level (III → II → I): that level's steps start now.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Argument(help: "II or I") var level: String
        @Option var note: String?

        func run() async throws {
            var object: [String: Any] = ["level": level, "by": server.by]
            if let note { object["note"] = note }
            try await change(server, id, "raise", object)
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an incident before every step is confirmed, with a reason.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option(help: "Why it is closed (required).") var reason: String

        func run() async throws {
            try await change(server, id, "close", ["reason": reason, "by": server.by])
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the report of an incident or drill: each step's target, actual time, margin, pass or fail.",
            discussion: "Markdown by default; --format json for tools, html for one self-contained page with the timeline.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option(help: "markdown, json or html") var format: String = "markdown"
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let path = "/v1/incidents/\(TicketCommand.escape(id))/report?format=\(TicketCommand.escape(format))"
            try IncidentCommand.write(try await call { try await server.client().getText(path) }, to: output)
        }
    }

    struct Trend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a plan's last drills step by step: faster, slower or steady.")
        @OptionGroup var server: ServerOptions
        @Argument var plan: String
        @Option(help: "How many of the latest finished drills (1–20).") var last: Int = 4
        @Option(help: "markdown, json or html") var format: String = "markdown"
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let path = "/v1/plans/\(TicketCommand.escape(plan))/trend?format=\(TicketCommand.escape(format))&last=\(last)"
            try IncidentCommand.write(try await call { try await server.client().getText(path) }, to: output)
        }
    }

    static func write(_ document: String, to output: String?) throws {
        guard let output else {
            Swift.print(document, terminator: document.hasSuffix("\n") ? "" : "\n")
            return
        }
        do {
            try document.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("slad: cannot write \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func change(_ server: ServerOptions, _ id: String, _ action: String, _ object: [String: Any]) async throws {
        IncidentPrinter.print(try await call { try await server.client().post("/v1/incidents/\(TicketCommand.escape(id))/\(action)", object) })
    }
}
