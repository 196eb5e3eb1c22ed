import Foundation
import SLARules

/// Finds and reads rule files for the pure language module, which never touches the file system itself.
public enum RuleFiles {
    public struct Unreadable: Error, CustomStringConvertible {
        public let path: String
        public let reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
        public var description: String { "cannot read '\(path)': \(reason)" }
    }

    /// Expands each path: a folder contributes its `*.sla` files (recursively, sorted by path);
    /// a file is read as given. Calendar data (`*.days`) is read only through `include`.
    public static func collect(_ paths: [String]) throws(Unreadable) -> [SourceFile] {
        var files: [SourceFile] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Unreadable(path: path, reason: "no such file or directory")
            }
            if isDirectory.boolValue {
                guard let enumerator = manager.enumerator(atPath: path) else {
                    throw Unreadable(path: path, reason: "the folder cannot be listed")
                }
                let names = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".sla") }.sorted()
                for name in names {
                    files.append(try read(path.hasSuffix("/") ? path + name : path + "/" + name))
                }
            } else {
                files.append(try read(path))
            }
        }
        return files
    }

    public static func read(_ path: String) throws(Unreadable) -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Unreadable(path: path, reason: FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied")
        }
        return SourceFile(path: path, text: String(decoding: data, as: UTF8.self))
    }

    /// Resolves an `include` relative to the including file's folder.
    public static func include(_ path: String, from includingFile: String) -> SourceFile? {
        let resolved: String
        if path.hasPrefix("/") {
            resolved = path
        } else {
            let folder = (includingFile as NSString).deletingLastPathComponent
            resolved = folder.isEmpty ? path : folder + "/" + path
        }
        return try? read(resolved)
    }

    /// Checks the rules at `paths` as one rule set, and the intake mappings beside them
    /// (RuleFiles+Intake.swift); with `today`, the calendars' yearly data too.
    public static func check(_ paths: [String], today: DayDate? = nil) throws(Unreadable) -> (CheckResult, sourceCount: Int) {
        let sources = try collect(paths)
        let result = RuleLoader.check(sources, today: today) { path, from in include(path, from: from) }
        let intake = try intakeFiles(paths)
        return (checkIntake(intake, result).0, sources.count + intake.count)
    }
}
