import Foundation
import SLAFormats
import SLARules

/// Intake mappings live beside the rules: `FOLDER/intake/SOURCE.map` for each rules folder given
/// (docs/adr/0022-intake-mappings.md). They are checked with the rules (`slad check`, start, reload),
/// each problem an E138 diagnostic at its file, line and column.
extension RuleFiles {
    /// The mapping files under the rules folders, sorted by path.
    public static func intakeFiles(_ paths: [String]) throws(Unreadable) -> [SourceFile] {
        var files: [SourceFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            let folder = (path.hasSuffix("/") ? path : path + "/") + "intake"
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".map") }.sorted()
            for name in names { files.append(try read(folder + "/" + name)) }
        }
        return files
    }

    /// The source a mapping file is for: its name without `.map`.
    public static func intakeSource(_ file: SourceFile) -> String {
        String((file.path as NSString).lastPathComponent.dropLast(4))
    }

    /// A source's name must be usable in a URL path and a metric label.
    static func isSourceName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Parses every mapping and checks its values against the rules (when they loaded), adding the
    /// problems to `result`. Returns the mappings by source.
    public static func checkIntake(_ files: [SourceFile], _ result: CheckResult) -> (CheckResult, [String: IntakeMapping]) {
        var result = result
        var mappings: [String: IntakeMapping] = [:]
        for file in files {
            let source = intakeSource(file)
            var problems: [(line: Int, column: Int, message: String)] = []
            if !isSourceName(source) {
                problems.append((1, 1, "'\(source)' cannot name an intake source: use lower-case letters, digits, '-' and '_' (it is part of the URL /v1/intake/SOURCE)"))
            }
            switch IntakeMapping.parse(file.text, source: source, forIntake: true) {
            case let .success(mapping):
                if let rules = result.ruleSet {
                    problems += mapping.refusals(rules: rules).map { ($0.line, $0.column, $0.message) }
                }
                if problems.isEmpty { mappings[source] = mapping }
            case let .failure(failures):
                problems += failures.all.map { ($0.line, $0.column, $0.message) }
            }
            result = result.adding(file, problems: problems, code: .intakeMapping)
        }
        return (result, mappings)
    }
}

extension RulesHolder {
    /// The mappings of rules that have just been checked (with them, by `load`): none can fail here.
    static func intakeMappings(_ paths: [String], rules: RuleSet) -> [String: IntakeMapping] {
        guard let files = try? RuleFiles.intakeFiles(paths) else { return [:] }
        let result = CheckResult.holding(rules)
        return RuleFiles.checkIntake(files, result).1
    }
}
