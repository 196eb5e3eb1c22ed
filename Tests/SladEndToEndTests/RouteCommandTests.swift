import Foundation
import Testing

/// `slad route train` and `slad route evaluate` run as an operator would, on the NYC 311 sample
/// (`../shared/data/311/nyc311-sample.csv`): the agency predicted from the complaint type and descriptor.
@Suite struct RouteCommandTests {
    static let sample = SimulateCommandTests.data311.appendingPathComponent("nyc311-sample.csv").path
    static let nycArguments = [sample, "--mapping", "rules/mappings/nyc311.map", "--label", "Agency"]

    @Test func trainWritesTheSameModelTwiceAndSaysItsHeldOutAccuracy() throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("nyc.json").path, second = folder.appendingPathComponent("again.json").path
        let output = try Slad.run(["route", "train"] + Self.nycArguments + ["--test-every", "5", "-o", first])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Read 1000 rows of \(Self.sample)"))
        #expect(output.stdout.contains("Held out "), "\(output.stdout)")
        #expect(output.stdout.contains("Wrote \(first)."))
        #expect(try Slad.run(["route", "train"] + Self.nycArguments + ["--test-every", "5", "-o", second]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second))))
        let model = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(model["format"] as? Int == 1)
        #expect((model["labels"] as? [[String: Any]])?.compactMap { $0["label"] as? String }.contains("NYPD") == true)
    }

    @Test func evaluateReportsAtLeast90PercentHeldOutWithTheFiguresAnOperatorNeeds() throws {
        let output = try Slad.run(["route", "evaluate"] + Self.nycArguments + ["--threshold", "0.85", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let accuracy = try #require(report["accuracy"] as? Double)
        #expect(accuracy >= 0.9)
        let labels = try #require(report["labels"] as? [[String: Any]])
        let names = labels.compactMap { $0["label"] as? String }
        #expect(names == names.sorted() && names.contains("HPD"))
        let confusion = try #require(report["confusion"] as? [[Int]])
        #expect(confusion.count == names.count && confusion.allSatisfy { $0.count == names.count })
        #expect(confusion.joined().reduce(0, +) == report["total"] as? Int)
        let thresholds = try #require(report["thresholds"] as? [[String: Any]])
        #expect(thresholds.contains { $0["threshold"] as? Double == 0.85 })
        #expect((report["trainedOn"] as? Int ?? 0) > 3 * (report["total"] as? Int ?? 0))

        let text = try Slad.run(["route", "evaluate"] + Self.nycArguments + ["--threshold", "0.85"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Accuracy: "))
        #expect(text.stdout.contains("Confusion matrix"))
        #expect(text.stdout.contains("← --threshold"))
        #expect(text.stdout.contains("Strongest n-grams per label"))
    }

    @Test func aTrainedModelEvaluatedOnTheSameSplitGivesTheSameAccuracy() throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("nyc.json").path
        #expect(try Slad.run(["route", "train"] + Self.nycArguments + ["--holdout", "20%", "-o", model]).status == 0)
        let withModel = try Slad.run(["route", "evaluate"] + Self.nycArguments + ["--holdout", "20%", "--model", model, "--json"])
        let trainedHere = try Slad.run(["route", "evaluate"] + Self.nycArguments + ["--holdout", "20%", "--json"])
        #expect(withModel.status == 0 && trainedHere.status == 0, "\(withModel.stderr)\(trainedHere.stderr)")
        func accuracy(_ output: Slad.Output) throws -> Double? {
            try (JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])?["accuracy"] as? Double
        }
        #expect(try accuracy(withModel) == accuracy(trainedHere))
    }

    /// slad's own JSON Lines with the team in a key of its own, Chinese without spaces; then one ticket by hand.
    @Test func aChineseHistoryInJSONLinesTrainsAModelThatDispatchesALeak() throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trades: [(String, [String])] = [
            ("水电", ["卫生间水管漏水", "厨房下水道堵塞", "家里停电了", "插座跳闸", "水龙头滴水", "楼上渗水"]),
            ("电梯", ["电梯困人", "电梯门关不上", "电梯异响", "电梯按钮失灵", "电梯停运", "轿厢抖动"]),
            ("绿化", ["草坪枯黄", "树枝挡住窗户", "花坛杂草", "大树倒伏", "绿化带没浇水", "树上有虫"]),
        ]
        var lines: [String] = []
        for (trade, texts) in trades {
            for (index, text) in texts.enumerated() {
                lines.append(#"{"id": "\#(trade)-\#(index)", "kind": "repair", "text": "\#(text)", "created": "2026-03-0\#(index + 1) 09:00", "team": "\#(trade)"}"#)
            }
        }
        let history = folder.appendingPathComponent("history.jsonl"), model = folder.appendingPathComponent("trades.json").path
        try Data(lines.joined(separator: "\n").utf8).write(to: history)
        let trained = try Slad.run(["route", "train", history.path, "--label", "team", "-o", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("18 labelled") && trained.stdout.contains("3 labels"), "\(trained.stdout)")
        let predicted = try Slad.run(["route", "predict", "--model", model, "厨房 水管 漏水"])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(predicted.stdout.hasPrefix("水电\t"), "\(predicted.stdout)")
        #expect(predicted.stdout.split(separator: "\n").count == 3)
        let missing = try Slad.run(["route", "predict", "--model", folder.appendingPathComponent("none.json").path, "漏水"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
    }

    /// Each bad invocation, the status it must end with and what stderr must say; no model is written.
    static let refusals: [([String], Int32, String)] = [
        ([sample, "--mapping", "rules/mappings/nyc311.map", "--label", "Agncy"], 1, "column 'Agncy' is not in the CSV header"),
        ([sample, "--label", "Agency"], 1, "is CSV: say which columns hold the ticket with --mapping"),
        (["/nonexistent/history.csv", "--mapping", "rules/mappings/nyc311.map", "--label", "Agency"], 2, "cannot read '/nonexistent/history.csv': no such file"),
        (nycArguments + ["--holdout", "100%"], 1, "--holdout: a hold-out of 100%"),
        (nycArguments + ["--holdout", "20%", "--test-every", "5"], 1, "give one"),
        (nycArguments + ["--ngrams", "1-5"], 1, "not within 1...3"),
        (nycArguments + ["--smoothing", "0"], 1, "above 0"),
        ([sample, "--mapping", "rules/mappings/nyc311.map", "--label", "Vehicle Type"], 1, "no row has a label in 'Vehicle Type'"),
    ]

    @Test(arguments: refusals)
    func badInputIsRefusedAndWritesNothing(arguments: [String], status: Int32, message: String) throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json").path
        let output = try Slad.run(["route", "train"] + arguments + ["-o", model])
        #expect(output.status == status, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    @Test func aCSVErrorNamesTheFileAndLine() throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("bad.csv")
        try Data("Unique Key,Created Date,Closed Date,Agency,Complaint Type,Descriptor,Incident Address,Open Data Channel Type\n1,\"01/01/2019 10:00:00 AM,x\n".utf8).write(to: csv)
        let output = try Slad.run(["route", "train", csv.path, "--mapping", "rules/mappings/nyc311.map", "--label", "Agency", "-o", folder.appendingPathComponent("m.json").path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(csv.path):2:"), "\(output.stderr)")
    }

    @Test func aBadModelFileIsNamedWithWhatIsWrong() throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("old.json")
        try Data(#"{"format": 7, "labels": []}"#.utf8).write(to: model)
        let output = try Slad.run(["route", "evaluate"] + Self.nycArguments + ["--model", model.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(model.path): not a model file 'slad route train' writes: model format 7 is not one this slad reads"), "\(output.stderr)")
    }
}
