import GRDB

/// A storage error the daemon cannot fix by itself, classified so that the loop backs off, the API
/// answers 503 with a stable code (never SQLite's own text), and `/healthz` says what is wrong.
public enum StorageFault: String, Sendable, Hashable {
    case full = "storage_full"
    case readOnly = "storage_read_only"
    case io = "storage_io_error"
    case busy = "storage_busy"
    case corrupt = "storage_corrupt"
    case cannotOpen = "storage_cannot_open"

    /// The fault behind `error`, if it is a storage error (SQLite's primary result code).
    public static func classify(_ error: any Error) -> StorageFault? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL: return .full
        case .SQLITE_READONLY: return .readOnly
        case .SQLITE_IOERR: return .io
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt
        case .SQLITE_CANTOPEN: return .cannotOpen
        default: return nil
        }
    }

    /// For operators: what is wrong and what to do, without SQL.
    public var message: String {
        switch self {
        case .full: "the state folder's disk is full: free space on it (slad backs off and catches up; nothing it accepted is lost)"
        case .readOnly: "the state folder is read-only (a remounted file system, or its permissions): make it writable again"
        case .io: "the disk under the state folder reports I/O errors: check the disk and the kernel log"
        case .busy: "the database is locked by another process: is a second slad, or a backup, holding it?"
        case .corrupt: "the database is damaged: stop slad and restore the state folder from a backup (docs/operations.md)"
        case .cannotOpen: "the database cannot be opened: check that the state folder exists and slad may write it"
        }
    }
}
