import ArgumentParser
import Foundation

/// `slad import FILE`: loads tickets in bulk into a running daemon.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load tickets (JSON Lines, the simulate format) into a running daemon.",
        discussion: """
        Each line is one ticket with its history, as in docs/simulate.md. The tickets go in batches of \
        1,000 (POST /v1/tickets/batch), one transaction each, every one with an idempotency key derived \
        from its id, so running the same import twice does not duplicate tickets: the second run reports \
        them as already present.

        A line the daemon refuses (a bad time, a value outside the sets the rules declare, an assignee who is \
        not a person in the rules) is reported with its line number and the import goes on; the exit \
        status is 1 when any line failed, 2 when the file cannot be read or the daemon cannot be reached.

        A return visit in a history may carry the owner's satisfaction ("score": 1–5). With a 'repeats' \
        block in the rules, each ticket is marked as a repeat against the tickets the daemon holds when \
        it arrives: import a history in creation order.

        With --mapping FILE (an intake mapping, docs/intake.md), the file holds another system's JSON \
        payloads instead, one per line or as one JSON array; each goes through the mapping as \
        POST /v1/intake/SOURCE takes it (the ticket is SOURCE-EXTERNALID, SOURCE the mapping file's name; a \
        status that maps to an event is in its history at the 'at' time). The mapping's authentication \
        lines are not needed and not used. Times without an offset are read in the mapping's 'time zone' \
        (Asia/Shanghai when it names none). A payload the mapping refuses is reported with its number and \
        the payload's field.
        """
    )

    /// Tickets per request: big enough to share one commit among many, small enough not to hold the
    /// store's writer for long.
    static let batchSize = 1000

    @OptionGroup var server: ServerOptions
    @Argument(help: "A JSON Lines file, or '-' for standard input.") var file: String
    @Option(help: ArgumentHelp("Read other systems' JSON payloads through this intake mapping (docs/intake.md).", valueName: "FILE"))
    var mapping: String?

    func run() async throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("slad: cannot read '\(file)'\n".utf8))
                throw ExitCode(2)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let intake = try mapping.map(ImportMapping.load)
        let client = try server.client()
        var imported = 0, present = 0, failed = 0
        // The tickets go in batches (POST /v1/tickets/batch): one transaction, one commit per batch.
        var batch = ImportBatch()
        func send() async throws {
            guard !batch.lines.isEmpty else { return }
            defer { batch = ImportBatch() }
            let answer: Any
            do {
                answer = try await client.post("/v1/tickets/batch", body: batch.body())
            } catch let failure as DaemonClient.Failure where failure.status == 0 {
                FileHandle.standardError.write(Data("slad: \(failure)\n".utf8))
                throw ExitCode(2)
            }
            let results = (answer as? [String: Any])?["results"] as? [[String: Any]] ?? []
            for (line, result) in zip(batch.lines, results) {
                switch result["status"] as? Int {
                case 201: imported += 1
                // 200: the daemon had it already (imported before), and kept it as it was.
                case 200: present += 1
                case let status:
                    let message = DaemonClient.message(result["error"] as? [String: Any]) ?? "refused"
                    FileHandle.standardError.write(Data("\(file):\(line): error: HTTP \(status ?? 0): \(message)\n".utf8))
                    failed += 1
                }
            }
        }
        var skipped = 0
        // "\r\n" is one Character in Swift: split on it too, or a file saved on Windows is one long line.
        let lines: [(Int, Substring)]
        if let intake {
            lines = try intake.lines(text, file: file, failed: &failed, skipped: &skipped)
        } else {
            lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated().map { ($0 + 1, $1) }
        }
        for (number, line) in lines {
            let index = number - 1
            switch batch.add(line, number: index + 1, file: file) {
            case .added: break
            case .skipped: continue
            case .notAnObject:
                FileHandle.standardError.write(Data("\(file):\(index + 1): error: not a JSON object\n".utf8))
                failed += 1
                continue
            }
            if batch.lines.count >= Self.batchSize { try await send() }
        }
        try await send()
        var parts = ["imported \(imported) ticket\(imported == 1 ? "" : "s")"]
        if present > 0 { parts.append("\(present) already present (kept as they are)") }
        if skipped > 0 { parts.append("\(skipped) skipped by the mapping") }
        if failed > 0 { parts.append("\(failed) failed") }
        print(parts.joined(separator: ", "))
        if failed > 0 { throw ExitCode(1) }
    }
}
