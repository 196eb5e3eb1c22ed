import Foundation

/// A document written to `--output FILE`: checked before any work (so a typo in the path costs nothing),
/// then written whole or not at all — a temporary file in the same folder, renamed over the target — so a
/// reader never sees half a report and a failed run leaves an earlier file as it was.
struct OutputFile {
    let path: String

    /// Why `path` cannot be written, in words an operator can act on; nil when it can.
    func problem() -> String? {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return "'\(path)' is a folder; name a file in it, e.g. \(path.hasSuffix("/") ? path : path + "/")report.html"
        }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        guard manager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return "the folder '\(folder)' does not exist; create it first or name a file in an existing folder"
        }
        guard manager.isWritableFile(atPath: folder) else {
            return "the folder '\(folder)' is not writable by this user; choose another place, e.g. /tmp/\((path as NSString).lastPathComponent)"
        }
        if manager.fileExists(atPath: path), !manager.isWritableFile(atPath: path) {
            return "'\(path)' exists and is not writable by this user"
        }
        return nil
    }

    /// Writes `text` atomically; the error names the file and why.
    func write(_ text: String) throws(OutputFailure) {
        if let problem = problem() { throw OutputFailure(message: "cannot write '\(path)': \(problem)") }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputFailure(message: "cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}

struct OutputFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
