import SQLKit

extension SQLDatabase {
    /// Which database this is, as its SQLKit dialect says. The one way the store
    /// asks: repositories take a connection, never a kind beside it, because a
    /// transaction's connection already knows.
    public var databaseKind: DatabaseKind { dialect.name == "postgresql" ? .postgresql : .sqlite }
}

/// A row lock on a `SELECT`, in the dialect's own words. It starts from
/// SQLKit's locking clause, so PostgreSQL says `FOR UPDATE` and SQLite — which
/// lets one writer in at a time and has no row locks — says nothing; the two
/// PostgreSQL refinements the store needs are written here, once.
public struct RowLock: SQLExpression {
    /// Lock only this table's rows of a join (`FOR UPDATE OF t`).
    var table: String?
    /// Pass over rows another transaction holds (`SKIP LOCKED`): how workers
    /// claim different jobs at once instead of queueing behind each other.
    var skipLocked: Bool

    /// Lock the selected rows until the transaction ends.
    public static let update = RowLock(table: nil, skipLocked: false)
    /// Lock the selected rows, skipping those already locked (queue claims).
    public static let claim = RowLock(table: nil, skipLocked: true)
    /// Lock only `table`'s rows of a joined select.
    public static func update(of table: String) -> RowLock { RowLock(table: table, skipLocked: false) }

    public func serialize(to serializer: inout SQLSerializer) {
        guard serializer.dialect.exclusiveSelectLockExpression != nil else { return }
        serializer.write(" ")
        SQLLockingClause.update.serialize(to: &serializer)
        if let table {
            serializer.write(" OF ")
            SQLIdentifier(table).serialize(to: &serializer)
        }
        if skipLocked { serializer.write(" SKIP LOCKED") }
    }
}
