import Foundation
import MediaOpsDomain

/// What the asset library's pages and API read, through the service.
extension AssetService {
    var repository: AssetRepository { AssetRepository(database.sql) }

    public func find(id: String) async throws -> Asset? { try await repository.find(id: id) }

    public func list(filter: AssetFilter, sort: AssetSort = .created, descending: Bool = true, page: PageRequest) async throws -> Page<Asset> {
        try await repository.list(filter: filter, sort: sort, descending: descending, page: page)
    }

    /// The content items that use an asset (cover, body or variant media).
    public func usage(assetID: String) async throws -> [(contentID: String, title: String)] { try await repository.usage(assetID: assetID) }

    public func folders() async throws -> [AssetFacet] { try await repository.folders() }

    public func tags() async throws -> [AssetFacet] { try await repository.tags() }

    /// Assets whose licence ends between the two days (inclusive).
    public func expiring(from: LocalDate, through: LocalDate, limit: Int = 200) async throws -> [Asset] {
        try await repository.expiring(from: from, through: through, limit: limit)
    }

    /// Assets whose licence ended before the day.
    public func expired(before day: LocalDate, limit: Int = 200) async throws -> [Asset] { try await repository.expired(before: day, limit: limit) }
}
