import Foundation
import MediaOpsDomain
import SQLKit

/// Who manages whom. A scorecard and a performance review are visible to the
/// member, the member's manager and the director, so the line is kept here,
/// in the team room, and read by the work room through these methods.
extension TeamService {
    /// The member's manager's id, if the member has one.
    public func manager(of memberID: String) async throws -> String? {
        try await ReportingLineRepository(database.sql).manager(of: memberID)
    }

    /// Member id → manager id for everyone who has a manager.
    public func reportingLines() async throws -> [String: String] {
        try await ReportingLineRepository(database.sql).all()
    }

    /// The members whose manager is `managerID`.
    public func directReports(of managerID: String) async throws -> [String] {
        try await ReportingLineRepository(database.sql).reports(of: managerID)
    }

    /// Sets a member's manager (nil clears it). Refused: an unknown or inactive
    /// manager, the member themselves, and a line that would close a loop
    /// (A manages B manages A). Audited on the member as the `manager` field.
    public func setManager(memberID: String, managerID: String?, by principal: Principal, now: Date? = nil) async throws -> String? {
        let now = now ?? database.now()
        let managerID = managerID.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        return try await database.transaction { db in
            let members = MemberRepository(db)
            let lines = ReportingLineRepository(db)
            guard let member = try await members.find(id: memberID) else { throw NotFoundError(entity: "member") }
            try await Self.checkMayActOn(member, by: principal, db: db)
            let before = try await lines.manager(of: memberID)
            guard before != managerID else { return before }
            var manager: Member?
            if let managerID {
                guard managerID != memberID else { throw ValidationError(field: "manager_id", code: "manager_self") }
                guard let found = try await members.find(id: managerID), found.isActive else {
                    throw ValidationError(field: "manager_id", code: "manager_unknown")
                }
                manager = found
                // Walking up from the new manager must never reach the member.
                let all = try await lines.all()
                var seen: Set<String> = [memberID]
                var cursor: String? = managerID
                while let current = cursor {
                    guard seen.insert(current).inserted else { throw ValidationError(field: "manager_id", code: "manager_cycle") }
                    cursor = all[current]
                }
            }
            try await lines.set(memberID: memberID, managerID: managerID, now: now)
            var previous: String?
            if let before { previous = try await members.find(id: before)?.label ?? before }
            var changes = ChangeSet()
            changes.record("manager", previous, manager?.label)
            try await Audit.record(db, principal, .update, .member, memberID, label: member.label, changes: changes.changes, at: now)
            return managerID
        }
    }
}
