import Foundation
import Logging
import MediaOpsDomain
import SQLKit

/// The asset library's use cases. An upload is checked in full (size, bytes,
/// name, metadata) before anything is kept; then the file is stored, then the
/// row and its audit entry are written in one transaction, and the file is
/// removed again if that transaction fails, so a refused upload leaves nothing.
public struct AssetService: Sendable {
    public let database: Database
    public let storage: any AssetStorage
    /// The largest file accepted, in bytes.
    public let maxBytes: Int64

    public init(database: Database, storage: any AssetStorage, maxBytes: Int64) {
        self.database = database
        self.storage = storage
        self.maxBytes = maxBytes
    }

    public struct UploadInput: Sendable {
        public var fileName: String?
        public var folder: String?
        public var tags: [String]?
        public var licenceExpiresOn: String?
        public var rightsNote: String?

        public init(fileName: String?, folder: String? = nil, tags: [String]? = nil, licenceExpiresOn: String? = nil, rightsNote: String? = nil) {
            self.fileName = fileName
            self.folder = folder
            self.tags = tags
            self.licenceExpiresOn = licenceExpiresOn
            self.rightsNote = rightsNote
        }
    }

    public struct UploadResult: Sendable {
        public var asset: Asset
        /// False when the same bytes were already in the library: `asset` is
        /// that existing asset, unchanged, and nothing new was stored.
        public var created: Bool
    }

    /// Adds a received file to the library. Takes over `staged`: its file is
    /// either moved into storage or removed, whatever happens.
    public func upload(_ staged: StagedUpload, _ input: UploadInput, by principal: Principal) async throws -> UploadResult {
        let accepted: (Asset, Bool)
        do {
            accepted = try await check(staged, input, by: principal)
        } catch {
            staged.discard()
            throw error
        }
        let (candidate, isNew) = accepted
        guard isNew else {
            staged.discard()
            return UploadResult(asset: candidate, created: false)
        }
        let storedNow = try await storage.put(key: candidate.sha256, stagedFile: staged.file)
        do {
            let asset = try await database.transaction { db in
                let repository = AssetRepository(db)
                // Checked again inside the transaction: another upload of the same bytes may have finished meanwhile.
                if let existing = try await repository.find(sha256: candidate.sha256) { return (existing, false) }
                try await repository.create(candidate)
                var changes = ChangeSet()
                changes.record("asset_kind", nil, candidate.kind.rawValue)
                changes.record("file_size", nil, String(candidate.byteSize))
                changes.record("folder", nil, candidate.folder.isEmpty ? nil : candidate.folder)
                changes.record("tags", nil, candidate.tags.isEmpty ? nil : candidate.tags.joined(separator: ", "))
                changes.record("licence_expires_on", nil, candidate.licenceExpiresOn?.description)
                changes.record("rights_note", nil, candidate.rightsNote.isEmpty ? nil : candidate.rightsNote)
                try await TeamService.audit(db, principal, .create, .asset, candidate.id, candidate.name, changes.changes)
                return (candidate, true)
            }
            return UploadResult(asset: asset.0, created: asset.1)
        } catch {
            // A concurrent upload of the same bytes may have inserted its row first (UNIQUE sha256): that row is the answer.
            if let existing = try? await AssetRepository(database.sql).find(sha256: candidate.sha256) {
                return UploadResult(asset: existing, created: false)
            }
            if storedNow { try? await storage.delete(key: candidate.sha256) }
            throw error
        }
    }

    /// Every check an upload must pass; returns the asset to create, or the
    /// existing one with the same bytes (false).
    private func check(_ staged: StagedUpload, _ input: UploadInput, by principal: Principal) async throws -> (Asset, Bool) {
        guard staged.size > 0 else { throw ValidationError(field: "file", code: "file_empty") }
        guard staged.size <= maxBytes else { throw UploadTooLarge(limit: maxBytes) }
        let rawName = Asset.cleanFileName(input.fileName)
        let format = try FileSniffer.check(head: staged.head, tail: staged.tail, fileName: rawName)
        let folder = try Asset.normalizeFolder(input.folder)
        let tags = try Asset.normalizeTags(input.tags ?? [])
        let licence = try Asset.parseLicenceDate(input.licenceExpiresOn)
        let rights = try Validate.optionalText(input.rightsNote, field: "rights_note", max: 1000)
        if let existing = try await AssetRepository(database.sql).find(sha256: staged.sha256) { return (existing, false) }
        let dimensions = format.kind == .image || format == .psd ? ImageDimensions.read(staged.head) : nil
        // Millisecond precision, as stored, so the returned asset equals what a read gives back.
        let now = Date(epochMilliseconds: database.now().epochMilliseconds)
        let name = rawName.isEmpty ? "\(format.kind.rawValue)-\(staged.sha256.prefix(8)).\(format.primaryExtension)" : rawName
        let asset = Asset(id: Identifier.make("ast"), name: name, kind: format.kind, format: format, mimeType: format.mimeType,
                          byteSize: staged.size, sha256: staged.sha256, width: dimensions?.width, height: dimensions?.height,
                          folder: folder, tags: tags, uploadedBy: principal.memberID, uploadedByName: principal.name,
                          licenceExpiresOn: licence, rightsNote: rights, createdAt: now, updatedAt: now)
        return (asset, true)
    }

    public struct AssetChanges: Sendable {
        public var name: String?
        public var folder: String?
        public var tags: [String]?
        /// .some(nil) or .some("") clears the expiry.
        public var licenceExpiresOn: String??
        public var rightsNote: String?

        public init(name: String? = nil, folder: String? = nil, tags: [String]? = nil, licenceExpiresOn: String?? = .none, rightsNote: String? = nil) {
            self.name = name
            self.folder = folder
            self.tags = tags
            self.licenceExpiresOn = licenceExpiresOn
            self.rightsNote = rightsNote
        }
    }

    public func update(id: String, _ input: AssetChanges, by principal: Principal) async throws -> Asset {
        let name = try input.name.map { try Asset.validateName($0) }
        let folder = try input.folder.map { try Asset.normalizeFolder($0) }
        let tags = try input.tags.map { try Asset.normalizeTags($0) }
        let licence: LocalDate?? = switch input.licenceExpiresOn {
        case .none: .none
        case .some(let value): .some(try Asset.parseLicenceDate(value))
        }
        let rights = try input.rightsNote.map { try Validate.optionalText($0, field: "rights_note", max: 1000) }
        return try await database.transaction { db in
            let repository = AssetRepository(db)
            guard var asset = try await repository.find(id: id) else { throw NotFoundError(entity: "asset") }
            let before = asset
            if let name { asset.name = name }
            if let folder { asset.folder = folder }
            if let tags { asset.tags = tags }
            if case .some(let licence) = licence { asset.licenceExpiresOn = licence }
            if let rights { asset.rightsNote = rights }
            var changes = ChangeSet()
            changes.record("name", before.name, asset.name)
            changes.record("folder", before.folder, asset.folder)
            changes.record("tags", before.tags.joined(separator: ", "), asset.tags.joined(separator: ", "))
            changes.record("licence_expires_on", before.licenceExpiresOn?.description, asset.licenceExpiresOn?.description)
            changes.record("rights_note", before.rightsNote, asset.rightsNote)
            guard !changes.isEmpty else { return asset }
            asset.updatedAt = Date(epochMilliseconds: database.now().epochMilliseconds)
            try await repository.update(asset)
            try await TeamService.audit(db, principal, .update, .asset, id, asset.name, changes.changes)
            return asset
        }
    }

    // MARK: Licences

    /// Today in the workspace's time zone: licences end on the team's day.
    public func today(now: Date? = nil) async throws -> LocalDate {
        let now = now ?? database.now()
        let zone = try await WorkspaceRepository(database.sql).get().flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        return LocalDate(now, timeZone: zone)
    }

    /// Assets whose licence ends within `days` days from today (today included).
    public func expiring(withinDays days: Int, now: Date? = nil) async throws -> [Asset] {
        let now = now ?? database.now()
        let today = try await today(now: now)
        return try await AssetRepository(database.sql).expiring(from: today, through: today.adding(days: days))
    }
}
