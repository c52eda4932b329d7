import Foundation
import MediaOpsDomain
import SQLKit

/// A report attributed to a member: issued by them, or issued by a schedule they keep.
public struct ReportDelivery: Sendable, Equatable {
    public var reportID: String
    public var kind: ReportKind
    public var periodFrom: LocalDate
    public var periodTo: LocalDate
    public var issuedAt: Date
    public var scheduled: Bool
}

/// Reads the work room's KPI engine makes of the reports room (reports delivered on time). Read-only.
extension ReportService {
    /// Reports whose period ended in [from, to] (workspace days) that `memberID`
    /// issued by hand or whose schedule `memberID` created, oldest period first.
    public func deliveries(memberID: String, periodEndingFrom from: LocalDate, to: LocalDate) async throws -> [ReportDelivery] {
        let rows = try await database.sql.raw("""
            SELECT id, kind, period_from, period_to, issued_at, schedule_id FROM reports
            WHERE (issued_by = \(bind: memberID) OR schedule_id IN (SELECT id FROM report_schedules WHERE created_by = \(bind: memberID)))
            AND period_to >= \(bind: from.description) AND period_to <= \(bind: to.description)
            ORDER BY period_to, issued_at, id LIMIT 2000
            """).all()
        return try rows.map { row in
            let fromText = try row.string("period_from"), toText = try row.string("period_to")
            guard let periodFrom = LocalDate(fromText) else { throw UnreadableStoredValue(column: "period_from", value: fromText) }
            guard let periodTo = LocalDate(toText) else { throw UnreadableStoredValue(column: "period_to", value: toText) }
            return ReportDelivery(reportID: try row.string("id"), kind: try row.value("kind", as: ReportKind.self), periodFrom: periodFrom, periodTo: periodTo,
                                  issuedAt: try row.date("issued_at"), scheduled: try row.optionalString("schedule_id") != nil)
        }
    }
}
