import GRDB

extension SQLiteTicketStore {
    /// Copies the write-ahead log into the database file and empties it (`wal_checkpoint(TRUNCATE)`), so
    /// that `slad.sqlite` stands alone: a clean shutdown calls it last, and a copy of the file alone (without
    /// its `-wal`) then holds every commit. Returns false when a reader kept the log from being emptied.
    @discardableResult
    public func checkpoint() throws -> Bool {
        try pool.writeWithoutTransaction { db in
            let (frames, copied) = try db.checkpoint(.truncate)
            return frames <= 0 || frames == copied
        }
    }
}
