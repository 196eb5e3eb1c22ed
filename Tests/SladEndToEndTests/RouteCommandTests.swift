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
