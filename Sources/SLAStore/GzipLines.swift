import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A gzip file written a line at a time through the system's zlib; `sync` flushes what was written
/// so far to the file and the disk (a reader then finds every synced line, even if the writer dies).
final class GzipLines: @unchecked Sendable {   // used by one task at a time (a prune)
    let path: String
    private let descriptor: Int32
    private var file: gzFile?

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw GzipFailure("cannot create '\(path)': \(String(cString: strerror(errno)))") }
        // gzdopen takes a descriptor of its own: ours stays open for fsync, and gzclose closes its duplicate.
        let duplicate = dup(descriptor)
        guard duplicate >= 0, let file = gzdopen(duplicate, "ab6") else {
            close(descriptor)
            throw GzipFailure("cannot start a gzip stream in '\(path)'")
        }
        self.file = file
    }

    func write(_ line: String) throws {
        var text = line
        text.append("\n")
        let written = text.withCString { pointer in gzwrite(file, pointer, UInt32(strlen(pointer))) }
        guard written > 0 else { throw GzipFailure("cannot write to '\(path)'") }
    }

    /// Everything written so far reaches the file and the disk.
    func sync() throws {
        guard gzflush(file, Z_SYNC_FLUSH) == Z_OK else { throw GzipFailure("cannot flush '\(path)'") }
        guard fsync(descriptor) == 0 else { throw GzipFailure("cannot flush '\(path)' to disk: \(String(cString: strerror(errno)))") }
    }

    func finish() throws {
        guard let file else { return }
        self.file = nil
        guard gzclose(file) == Z_OK else { throw GzipFailure("cannot finish '\(path)'") }
        guard fsync(descriptor) == 0 else { throw GzipFailure("cannot flush '\(path)' to disk") }
    }

    deinit {
        if let file { gzclose(file) }
        close(descriptor)
    }
}

struct GzipFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
