import ArgumentParser
import Foundation

/// `slad outbox …`: the notifications waiting, delivered or dead-lettered, through the daemon's API.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List, retry or drop notifications in a running daemon's outbox.",
        subcommands: [List.self, Retry.self, Drop.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox jobs (oldest first).")
        @OptionGroup var server: ServerOptions
        @Option(help: "pending, sent or dead.") var state: String?
        @Option var limit: Int = 100
        @Flag(help: "Print each job's message under it.") var messages = false
        @Flag(help: "Print the JSON as the API returns it.") var json = false

        func run() async throws {
            var path = "/v1/outbox?limit=\(limit)"
            if let state { path += "&state=\(TicketCommand.escape(state))" }
            let result = try await call { try await server.client().get(path) }
            if json { TicketPrinter.printJSON(result); return }
            let jobs = (result as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
            if jobs.isEmpty { print("（空）"); return }
            for job in jobs {
                let subject = job["subject"] as? String ?? "ticket"
                let state = job["state"] as? String ?? ""
                let next = state == "pending" ? "\tnext \(job["nextAttempt"] ?? "")" : ""
                print("\(job["id"] ?? "")\t\(state)\t\(job["channel"] ?? "")\t\(subject) \(job["ticket"] ?? "")\tattempts \(job["attempts"] ?? 0)\(next)")
                let to = (job["to"] as? [String] ?? job["recipients"] as? [String] ?? []).joined(separator: "、")
                print("\tto \(to.isEmpty ? "(the channel's own destination)" : to)")
                if let error = job["lastError"] as? String { print("\t\(state == "sent" ? "earlier" : "why"): \(error)") }
                if messages, let message = job["message"] as? String { print("\t\(message)") }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Try a dead (or waiting) job again now.")
        @OptionGroup var server: ServerOptions
        @Argument var id: Int64

        func run() async throws {
            let result = try await call { try await server.client().post("/v1/outbox/\(id)/retry", [:], headers: ["X-Slad-Actor": server.by]) }
            print("outbox job \(id): \((result as? [String: Any])?["state"] ?? "")")
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give up on a job: it is dead-lettered and never tried again.")
        @OptionGroup var server: ServerOptions
        @Argument var id: Int64

        func run() async throws {
            let result = try await call { try await server.client().post("/v1/outbox/\(id)/drop", [:], headers: ["X-Slad-Actor": server.by]) }
            print("outbox job \(id): \((result as? [String: Any])?["state"] ?? "")")
        }
    }
}
