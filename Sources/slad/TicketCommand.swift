import ArgumentParser
import Foundation
import SLAEngine

/// Options every command that talks to the daemon shares.
struct ServerOptions: ParsableArguments {
    @Option(help: "The daemon's address ($SLAD_SERVER when set, else http://127.0.0.1:8080).")
    var server: String = ProcessInfo.processInfo.environment["SLAD_SERVER"] ?? "http://127.0.0.1:8080"

    @Option(help: "Environment variable holding the bearer token for writes.")
    var tokenEnv: String = "SLAD_TOKEN"

    @Option(help: "Read the token from a systemd credential instead ($CREDENTIALS_DIRECTORY/NAME), as slad-drill@.service does.")
    var tokenCredential: String?

    // No default in the declaration: it would be this shell's $USER, printed in --help and the man pages.
    @Option(name: .customLong("by"),
            help: ArgumentHelp("Who is acting, recorded in the ticket's timeline and the audit log (default: $USER, else 'operator').", valueName: "name"))
    var byOption: String?

    /// Who is acting: --by, else $USER, else "operator".
    var by: String { byOption ?? ProcessInfo.processInfo.environment["USER"] ?? "operator" }

    func client() throws -> DaemonClient {
        if let tokenCredential {
            return try DaemonClient(server: server, token: ServeCommand.token(env: nil, credential: tokenCredential))
        }
        return try DaemonClient(server: server, token: ProcessInfo.processInfo.environment[tokenEnv])
    }
}

/// `slad ticket …`: operator commands against a running daemon.
struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Open, show, list and update tickets in a running daemon.",
        discussion: """
        Talks to 'slad serve' over its HTTP API (docs/api.md). Writes need the daemon's bearer token in the \
        environment variable named by --token-env (SLAD_TOKEN by default). Times without an offset \
        (--created, --at) are read in the rules' time zone, not this computer's: on a UTC host \
        '18:40' is 18:40 Beijing time. \
        Values the rules do not allow \
        (a grade, priority, category or source outside the sets in their 'fields' block, an assignee who is \
        not a person in the rules) are refused with the daemon's did-you-mean.

        Examples:
          slad ticket open --kind complaint --grade A --building 3栋 --text "楼上噪音"
          slad ticket ack T-20251122-101500-3f2a --note "已电话联系业主"
          slad ticket pause T-… --reason waiting-customer
          slad ticket revisit T-… --score 5 --comment "很满意"
          slad ticket list --overdue
        """,
        subcommands: [Open.self, Show.self, List.self, Event.self, Ack.self, Assign.self, Pause.self, Resume.self,
                      Resolve.self, Revisit.self, Close.self, Reopen.self, Regrade.self, Comment.self]
    )

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a ticket.")
        @OptionGroup var server: ServerOptions
        @Option(help: "complaint, repair, enquiry, suggestion or incident.") var kind: String
        @Option var id: String?
        @Option var category: String?
        @Option var grade: String?
        @Option var priority: String?
        @Option var site: String?
        @Option var building: String?
        @Option var unit: String?
        @Option var reporter: String?
        @Option var assignee: String?
        @Option var source: String?
        @Option(help: "A tag; repeatable.") var tag: [String] = []
        @Option(help: "What the resident said.") var text: String?
        @Option(help: ArgumentHelp("When it was reported, if not now: '18:40' (today), '2025-09-22 18:40', or ISO 8601 with an offset.",
                                   discussion: TicketCommand.zoneNote)) var created: String?

        func run() async throws {
            var object: [String: Any] = ["kind": kind]
            let optional: [(String, String?)] = [("id", id), ("category", category), ("grade", grade), ("priority", priority),
                                                 ("site", site), ("building", building), ("unit", unit), ("reporter", reporter),
                                                 ("assignee", assignee), ("source", source), ("text", text), ("created", created)]
            for (key, value) in optional { if let value { object[key] = value } }
            if !tag.isEmpty { object["tags"] = tag }
            let result = try await call { try await server.client().post("/v1/tickets", object) }
            TicketPrinter.print(result)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a ticket with its clocks and timeline.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Flag(help: "Print the JSON as the API returns it.") var json = false

        func run() async throws {
            let result = try await call { try await server.client().get("/v1/tickets/\(TicketCommand.escape(id))") }
            json ? TicketPrinter.printJSON(result) : TicketPrinter.print(result)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tickets.")
        @OptionGroup var server: ServerOptions
        @Option(help: "open (not closed), or a status: assigned, acknowledged, resolved, closed, …") var state: String?
        @Option var policy: String?
        @Option var site: String?
        @Option var assignee: String?
        @Flag(help: "Only tickets with a clock past its deadline.") var overdue = false
        @Option var limit: Int = 100

        func run() async throws {
            var query: [String] = ["limit=\(limit)"]
            for (key, value) in [("state", state), ("policy", policy), ("site", site), ("assignee", assignee)] {
                if let value { query.append("\(key)=\(TicketCommand.escape(value))") }
            }
            if overdue { query.append("overdue=true") }
            let result = try await call { try await server.client().get("/v1/tickets?" + query.joined(separator: "&")) }
            TicketPrinter.printList(result)
        }
    }

    /// `slad ticket event ID KIND`: any event, for what the shortcuts do not cover.
    struct Event: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Post any event to a ticket.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Argument(help: "assigned, acknowledged, assessed, paused, resumed, resolved, revisited, closed, reopened, regraded, comment") var kind: String
        @Option var note: String?
        @Option(help: "For revisited: the owner's satisfaction, 1 (very dissatisfied) to 5 (very satisfied).") var score: Int?
        @Option(help: ArgumentHelp("When it happened, if not now: '18:40' (today), '2025-09-22 18:40', or ISO 8601 with an offset.",
                                   discussion: TicketCommand.zoneNote)) var at: String?

        func run() async throws {
            var object: [String: Any] = ["kind": kind]
            if let score { object["score"] = score }
            try await post(server, id, object, note: note, at: at)
        }
    }

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge (first response).")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "acknowledged"], note: note, at: nil) }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign to a person (by the name in the rules).")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Argument var person: String
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "assigned", "assignee": person], note: note, at: nil) }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a paused status; the policy decides which clocks stop, and the answer says.",
            discussion: """
            --reason paused (the default) stops every clock. waiting-customer or waiting-parts stops the clocks \
            only when the ticket's policy says 'pause while' that status; otherwise the status changes and \
            the clocks keep running. The answer lists each clock as paused or running, with the reason.
            """)
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option(help: "paused (stops every clock), waiting-customer or waiting-parts (stop the clocks only where the policy's 'pause while' says so).")
        var reason: String = "paused"
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "paused", "status": reason], note: note, at: nil) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused ticket.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "resumed"], note: note, at: nil) }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark resolved (handled).")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "resolved"], note: note, at: nil) }
    }

    struct Revisit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the return visit with the owner's satisfaction.",
            discussion: """
            The return visit (回访) after a repair or complaint: --score is the owner's satisfaction, 1 (very dissatisfied) to 5 (very satisfied); --comment (or \
            --note) what they said. The satisfaction KPIs average the scores of the revisits in their window.

            Example:
              slad ticket revisit T-20251122-101500-3f2a --score 4 --comment "维修及时，地面没清理干净"
            """)
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option(help: "The owner's satisfaction: 1 (very dissatisfied) to 5 (very satisfied).") var score: Int?
        @Option(help: "What the owner said (the same as --note).") var comment: String?
        @Option var note: String?

        func validate() throws {
            if let score, !RevisitScore.range.contains(score) {
                throw ValidationError("--score \(score) is not a score; expected \(RevisitScore.valid)")
            }
            if comment != nil, note != nil { throw ValidationError("give --comment or --note, not both") }
        }

        func run() async throws {
            var object: [String: Any] = ["kind": "revisited"]
            if let score { object["score"] = score }
            try await post(server, id, object, note: comment ?? note, at: nil)
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close the ticket.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "closed"], note: note, at: nil) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a resolved or closed ticket.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option var note: String?
        func run() async throws { try await post(server, id, ["kind": "reopened"], note: note, at: nil) }
    }

    struct Regrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change grade, priority or category; the policy is chosen again.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Option var grade: String?
        @Option var priority: String?
        @Option var category: String?
        @Option var note: String?
        func run() async throws {
            var object: [String: Any] = ["kind": "regraded"]
            if let grade { object["grade"] = grade }
            if let priority { object["priority"] = priority }
            if let category { object["category"] = category }
            guard object.count > 1 else { throw ValidationError("give --grade, --priority or --category") }
            try await post(server, id, object, note: note, at: nil)
        }
    }

    struct Comment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a comment to the timeline.")
        @OptionGroup var server: ServerOptions
        @Argument var id: String
        @Argument var note: String
        func run() async throws { try await post(server, id, ["kind": "comment"], note: note, at: nil) }
    }

    /// Times without an offset are read by the daemon in the rules' time zone, not this host's.
    static let zoneNote = "A time without an offset is read in the rules' time zone (the first calendar's, Asia/Shanghai by default), "
        + "not this computer's: on a UTC host '18:40' is 18:40 Beijing time. A time of day alone is today's, or yesterday's if "
        + "that is still to come."

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&=#"))) ?? text
    }
}

private func post(_ server: ServerOptions, _ id: String, _ body: [String: Any], note: String?, at: String?) async throws {
    var object = body
    object["actor"] = server.by
    if let note { object["note"] = note }
    if let at { object["at"] = at }
    let sent = object
    let result = try await call { try await server.client().post("/v1/tickets/\(TicketCommand.escape(id))/events", sent) }
    TicketPrinter.print(result)
}

/// Runs a request; failures print to standard error and exit 1 (2 when the daemon cannot be reached).
func call<Answer>(_ body: () async throws -> Answer) async throws -> Answer {
    do {
        return try await body()
    } catch let failure as DaemonClient.Failure {
        FileHandle.standardError.write(Data("slad: \(failure)\n".utf8))
        throw ExitCode(failure.status == 0 ? 2 : 1)
    }
}
