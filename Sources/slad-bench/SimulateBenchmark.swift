import Foundation
import SLAEngine
import SLAFormats
import SLARules

/// The mapping of the generated CSV export.
let generatedMapping = """
id           = id
created      = created
acknowledged = acknowledged
resolved     = resolved
closed       = closed
category     = category
building     = building
assignee     = assignee
time format  = YYYY-MM-DD HH:mm:ss
time zone    = Asia/Shanghai
map "投诉-A"     = complaint grade=A
map "投诉-B"     = complaint grade=B
map "投诉-C"     = complaint grade=C
map "投诉"       = complaint
map "报修-紧急"  = repair priority=urgent
map "报修"       = repair priority=regular
map "咨询"       = enquiry
default          = suggestion

"""

/// A month-long CSV export of `count` tickets for the shipped rules, as a company's system would write it:
/// most tickets handled in time, some late, a few still open. Deterministic.
func generatedExport(count: Int) -> (csv: [UInt8], jsonl: [UInt8]) {
    let zone = ZoneTable(identifier: "Asia/Shanghai")!
    let start = LocalTime.parse("2026-03-01 00:00", zone: zone)!
    let categories = ["投诉-A", "投诉-B", "投诉-C", "投诉", "报修-紧急", "报修", "报修", "报修", "咨询", "咨询"]
    let people = ["zhang-wei", "liu-yang", "wang-qiang", "zhao-lei", ""]
    var random = SplitMix(seed: 7)
    var csv: [UInt8] = Array("id,created,acknowledged,resolved,closed,category,building,assignee\n".utf8)
    var jsonl: [UInt8] = []
    csv.reserveCapacity(count * 110)
    jsonl.reserveCapacity(count * 260)
    func local(_ instant: Instant) -> String {
        let text = zone.format(instant)   // 2026-03-02T09:15:00+08:00
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }
    for index in 0..<count {
        let category = categories[Int(random.next() % UInt64(categories.count))]
        let created = start + Int(random.next() % (31 * 86_400))
        let roll = Int(random.next() % 100)
        // 0-69 in time, 70-89 late, 90-99 still open at the end of the export.
        let slow = roll >= 70 ? 4 : 1
        let acknowledged = roll < 90 ? created + slow * Int(300 + random.next() % 5_400) : nil
        let resolved = roll < 90 ? acknowledged! + slow * Int(1_800 + random.next() % 20_000) : nil
        let closed = resolved.map { $0 + Int(600 + random.next() % 3_600) }
        let assignee = people[Int(random.next() % UInt64(people.count))]
        let id = "T\(100_000_000 + index)"
        let building = "\(1 + random.next() % 30)栋"
        let row = [id, local(created), acknowledged.map(local) ?? "", resolved.map(local) ?? "", closed.map(local) ?? "",
                   category, building, assignee].joined(separator: ",")
        csv.append(contentsOf: row.utf8)
        csv.append(10)
        var events: [String] = []
        if let acknowledged { events.append("{\"kind\":\"acknowledged\",\"at\":\"\(local(acknowledged))\"}") }
        if let resolved { events.append("{\"kind\":\"resolved\",\"at\":\"\(local(resolved))\"}") }
        if let closed { events.append("{\"kind\":\"closed\",\"at\":\"\(local(closed))\"}") }
        let kind: String, extra: String
        switch category {
        case "投诉-A", "投诉-B", "投诉-C": kind = "complaint"; extra = ",\"grade\":\"\(category.suffix(1))\""
        case "投诉": kind = "complaint"; extra = ""
        case "报修-紧急": kind = "repair"; extra = ",\"priority\":\"urgent\""
        case "报修": kind = "repair"; extra = ",\"priority\":\"regular\""
        default: kind = "enquiry"; extra = ""
        }
        let assigneeJSON = assignee.isEmpty ? "" : ",\"assignee\":\"\(assignee)\""
        let line = "{\"id\":\"\(id)\",\"kind\":\"\(kind)\"\(extra),\"building\":\"\(building)\"\(assigneeJSON),\"created\":\"\(local(created))\",\"events\":[\(events.joined(separator: ","))]}"
        jsonl.append(contentsOf: line.utf8)
        jsonl.append(10)
    }
    return (csv, jsonl)
}

/// Replays `count` generated tickets the way `slad simulate` does (read, replay, write), timing each part.
/// With `write`, also saves the export to that folder, to time the real binary on it.
func simulateBenchmark(tickets count: Int, write folder: String? = nil) {
    let engine = shippedEngine()
    let clock = ContinuousClock()
    var began = clock.now
    let (csv, jsonl) = generatedExport(count: count)
    print("simulate: \(count) generated tickets (month of complaints, repairs, enquiries; 70 % in time, 20 % late, 10 % open)")
    print("  generated in \(Int(milliseconds(clock.now - began))) ms: CSV \(csv.count / 1_000_000) MB, JSON Lines \(jsonl.count / 1_000_000) MB")
    if let folder {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = [("tickets.csv", Data(csv)), ("tickets.jsonl", Data(jsonl)), ("tickets.map", Data(generatedMapping.utf8))]
        guard files.allSatisfy({ FileManager.default.createFile(atPath: folder + "/" + $0.0, contents: $0.1) }) else {
            fatalError("cannot write the generated export to \(folder)")
        }
        print("  written to \(folder)/tickets.csv, tickets.jsonl, tickets.map")
    }
    guard case let .success(mapping) = TicketMapping.parse(generatedMapping) else { fatalError("the generated mapping is broken") }

    began = clock.now
    let input: SimulationInput
    do {
        input = try SimulationInput.csv(csv, mapping: mapping)
    } catch {
        fatalError("the generated CSV is broken: \(error)")
    }
    let readCSV = milliseconds(clock.now - began)
    began = clock.now
    let jsonInput: SimulationInput
    do {
        jsonInput = try SimulationInput.jsonl(jsonl, zone: engine.displayZone)
    } catch {
        fatalError("the generated JSON Lines are broken: \(error)")
    }
    let readJSON = milliseconds(clock.now - began)
    precondition(jsonInput.tickets.count == input.tickets.count)

    let formats = ProcessInfo.processInfo.environment["SLAD_BENCH_FORMATS"].map { $0.split(separator: ",").compactMap { Simulation.Format(rawValue: String($0)) } }
        ?? [.table, .jsonl]
    for format in formats {
        var options = Simulation.Options()
        options.format = format
        var bytes = 0
        began = clock.now
        let summary = Simulation(engine: engine, options: options).run(input, output: { bytes += $0.count }, summaryOutput: { _ in })
        let replay = milliseconds(clock.now - began)
        print("  --format \(format.rawValue): read CSV \(Int(readCSV)) ms + replay and write \(Int(replay)) ms = \(String(format: (readCSV + replay) / 1000)) s;"
            + " \(summary.escalations) escalations, \(summary.evaluations) evaluations, \(bytes / 1_000_000) MB of output")
    }
    var options = Simulation.Options()
    options.summaryOnly = true
    began = clock.now
    Simulation(engine: engine, options: options).run(input, output: { _ in }, summaryOutput: { _ in })
    let summaryOnly = milliseconds(clock.now - began)
    print("  --summary-only: read CSV \(Int(readCSV)) ms + replay \(Int(summaryOnly)) ms = \(String(format: (readCSV + summaryOnly) / 1000)) s")
    print("  reading JSON Lines instead of CSV: \(Int(readJSON)) ms")
}
