import MediaOpsDomain

extension TeamService {
    /// The audit log, newest first: the settings page, the API and the short
    /// histories on member, account, asset and home pages all read it here.
    public func auditLog(_ filter: AuditFilter = AuditFilter(), page: PageRequest) async throws -> Page<AuditEntry> {
        try await AuditRepository(database.sql).list(filter: filter, page: page)
    }
}
