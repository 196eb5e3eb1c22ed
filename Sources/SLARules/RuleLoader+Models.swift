import SLAClassify

extension RuleLoader {
    /// Reads every model file a `to model "PATH"` route names, through the same reader as calendar data
    /// (the language does no I/O): relative to the rule file, once per path. A file that cannot be read or
    /// is not a model is an error at the path, so a broken model never reaches the daemon. The file joins
    /// the files read (as calendar data does), so the rules' version changes when a model is retrained.
    static func readModels(_ builder: inout RuleBuilder, files: inout [SourceFile], include: IncludeReader) {
        var failed: Set<String> = []
        for (path, range) in builder.modelIncludes {
            guard builder.rules.models[path] == nil, !failed.contains(path) else { continue }
            let includingFile = files[range.file].path
            guard let file = include(path, includingFile) else {
                failed.insert(path)
                builder.diagnostics.error(.modelFileUnreadable, at: range, "cannot read model file '\(path)'",
                                          hint: "the path is relative to the file that names it (\(includingFile)); "
                                              + "write the model with 'slad route train … --output \(path)'")
                continue
            }
            do {
                builder.rules.models[path] = try TextClassifier(decoding: Array(file.text.utf8))
                files.append(file)
            } catch {
                failed.insert(path)
                builder.diagnostics.error(.modelFileUnreadable, at: range, "'\(path)' is not a model: \((error as? ModelFileError)?.description ?? "\(error)")",
                                          hint: "write it again with 'slad route train'; a model file is not edited by hand")
            }
        }
    }
}
