import ArgumentParser
import Foundation

/// `slad import FILE`: loads tickets in bulk into a running daemon.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load tickets (JSON Lines, the simulate format) into a running daemon.",
        discussion: """
        Each line is one ticket with its history, as in docs/simulate.md. Each is sent with an
        Idempotency-Key derived from its id, so running the same import twice does not duplicate tickets:
        the second run reports them as already present.
        A line the daemon refuses (a bad time, a value outside the sets the rules declare, an assignee who is
        not a person in the rules) is reported with its line number and the import goes on; the exit
        status is 1 when any line failed.
        A return visit in a history may carry the owner's satisfaction ("score": 1–5). With a 'repeats' \
        block in the rules, each ticket is marked as a repeat against the tickets the daemon holds when \
        it arrives: import a history in creation order.
        """
    )

    @OptionGroup var server: ServerOptions
    @Argument(help: "A JSON Lines file, or '-' for standard input.") var file: String

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
        let client = try server.client()
        var imported = 0, present = 0, failed = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                FileHandle.standardError.write(Data("\(file):\(index + 1): error: not a JSON object\n".utf8))
                failed += 1
                continue
            }
            let key = (object["id"] as? String).map { "import:\($0)" } ?? "import:\(file):\(index + 1)"
            do {
                let (status, _) = try await client.postWithStatus("/v1/tickets", object, headers: ["Idempotency-Key": key])
                // 201: created now; 200: the daemon had it already (imported before), and kept it as it was.
                if status == 201 { imported += 1 } else { present += 1 }
            } catch let failure as DaemonClient.Failure where failure.status == 0 {
                FileHandle.standardError.write(Data("slad: \(failure)\n".utf8))
                throw ExitCode(2)
            } catch {
                FileHandle.standardError.write(Data("\(file):\(index + 1): error: \(error)\n".utf8))
                failed += 1
            }
        }
        var parts = ["imported \(imported) ticket\(imported == 1 ? "" : "s")"]
        if present > 0 { parts.append("\(present) already present (kept as they are)") }
        if failed > 0 { parts.append("\(failed) failed") }
        print(parts.joined(separator: ", "))
        if failed > 0 { throw ExitCode(1) }
    }
}
