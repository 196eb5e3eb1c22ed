import ArgumentParser
import Foundation
import SLAEngine
import SLAFormats

/// `slad import --mapping FILE`: other systems' payloads through an intake mapping, turned into lines of
/// slad's JSON ticket format for the batch (the same mapping code as `POST /v1/intake/SOURCE`).
struct ImportMapping {
    let mapping: IntakeMapping
    let zone: ZoneTable

    static func load(_ path: String) throws -> ImportMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("slad: cannot read the mapping '\(path)'\n".utf8))
            throw ExitCode(2)
        }
        // As the daemon names a source: the file's name without `.map`.
        let source = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        switch IntakeMapping.parse(String(decoding: data, as: UTF8.self), source: source, forIntake: false) {
        case let .success(mapping):
            return ImportMapping(mapping: mapping, zone: ZoneTable(identifier: mapping.timeZone ?? "Asia/Shanghai")!)
        case let .failure(failures):
            for failure in failures.all { FileHandle.standardError.write(Data("\(path):\(failure.line):\(failure.column): error: \(failure.message)\n".utf8)) }
            throw ExitCode(2)
        }
    }

    /// The payloads of `text` (JSON Lines, or one JSON array) as ticket lines with their numbers (the line,
    /// or the array element from 1); refused payloads are reported and counted, skipped ones counted.
    func lines(_ text: String, file: String, failed: inout Int, skipped: inout Int) throws -> [(Int, Substring)] {
        var payloads: [(Int, Any?)] = []
        if text.drop(while: { $0.isWhitespace }).first == "[" {
            guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
                FileHandle.standardError.write(Data("\(file): error: not a JSON array of payloads\n".utf8))
                throw ExitCode(1)
            }
            payloads = array.enumerated().map { ($0 + 1, $1) }
        } else {
            for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                payloads.append((index + 1, try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))))
            }
        }
        var out: [(Int, Substring)] = []
        for (number, payload) in payloads {
            guard let payload else {
                FileHandle.standardError.write(Data("\(file):\(number): error: not valid JSON\n".utf8))
                failed += 1
                continue
            }
            switch mapping.read(payload, zone: zone, arrival: nil) {
            case let .item(item):
                let object = item.ticketWithEvent(actor: "intake:\(mapping.source)")
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
                out.append((number, Substring(String(decoding: data, as: UTF8.self))))
            case .skipped:
                skipped += 1
            case let .refused(refusal):
                FileHandle.standardError.write(Data("\(file):\(number): error: \(refusal.field): \(refusal.message)\n".utf8))
                failed += 1
            }
        }
        return out
    }
}
