import Foundation
import MediaOpsDomain
import SQLKit

/// The content room's use cases: writing the master copy and its platform
/// variants, versions, the review flow with its compliance gate, comments with
/// @mentions. Pages, the API and the CLI all come through here.
public struct ContentService: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Input

    public struct ItemInput: Sendable {
        public var title: String?
        public var body: String?
        public var summary: String?
        public var tags: [String]?
        public var category: String?
        public var coverAssetID: String??
        public var ownerID: String??
        public var groupID: String??
        public var plannedAt: Date??
        public var isTemplate: Bool?

        public init(title: String? = nil, body: String? = nil, summary: String? = nil, tags: [String]? = nil, category: String? = nil,
                    coverAssetID: String?? = .none, ownerID: String?? = .none, groupID: String?? = .none, plannedAt: Date?? = .none, isTemplate: Bool? = nil) {
            self.title = title
            self.body = body
            self.summary = summary
            self.tags = tags
            self.category = category
            self.coverAssetID = coverAssetID
            self.ownerID = ownerID
            self.groupID = groupID
            self.plannedAt = plannedAt
            self.isTemplate = isTemplate
        }
    }

    public struct VariantInput: Sendable {
        public var title: String?
        public var body: String?
        public var tags: [String]?
        public var link: String?
        public var mediaAssetIDs: [String]?

        public init(title: String? = nil, body: String? = nil, tags: [String]? = nil, link: String? = nil, mediaAssetIDs: [String]? = nil) {
            self.title = title
            self.body = body
            self.tags = tags
            self.link = link
            self.mediaAssetIDs = mediaAssetIDs
        }
    }

    // MARK: Items

    public func create(_ input: ItemInput, topicID: String? = nil, by principal: Principal) async throws -> ContentItem {
        let now = database.now()
        var item = ContentItem(id: Identifier.make("cnt"), title: "", body: "", summary: "", tags: [], category: .industry, coverAssetID: nil,
                               state: .draft, ownerID: principal.memberID, groupID: nil, topicID: topicID, plannedAt: nil, version: 1,
                               reviewStage: 0, isTemplate: false, createdBy: principal.memberID, createdAt: now, updatedAt: now)
        try Self.apply(input, to: &item, creating: true)
        return try await database.transaction { [item] db in
            var item = item
            try await Self.checkReferences(input, item: &item, db: db)
            let repository = ContentRepository(db)
            try await repository.insert(item)
            try await repository.saveVersion(item, variants: [], author: principal)
            try await Self.audit(db, principal, .create, item, [:])
            return item
        }
    }

    /// Saves changes to the master copy. `expectedVersion` is the version the
    /// editor started from: a stale one is refused (409) so nobody overwrites a
    /// colleague's work. Changing an approved item sends it back to review.
    public func update(id: String, _ input: ItemInput, expectedVersion: Int?, by principal: Principal) async throws -> ContentItem {
        try await database.transaction { db in
            let repository = ContentRepository(db)
            guard var item = try await repository.findForUpdate(id: id) else { throw NotFoundError(entity: "content") }
            try Self.checkVersion(item, expectedVersion)
            let before = item
            try Self.apply(input, to: &item, creating: false)
            try await Self.checkReferences(input, item: &item, db: db)
            // Forms carry minutes; a time within the same minute is the time already planned.
            if let old = before.plannedAt, let new = item.plannedAt, abs(new.timeIntervalSince(old)) < 60 { item.plannedAt = old }
            var changes = ChangeSet()
            changes.record("title", before.title, item.title)
            changes.record("summary", before.summary, item.summary)
            changes.record("body", before.body == item.body ? nil : "…", before.body == item.body ? nil : "(changed)")
            changes.record("tags", before.tags.joined(separator: ","), item.tags.joined(separator: ","))
            changes.record("category", before.category.rawValue, item.category.rawValue)
            changes.record("cover_asset_id", before.coverAssetID, item.coverAssetID)
            changes.record("owner_id", before.ownerID, item.ownerID)
            changes.record("group_id", before.groupID, item.groupID)
            changes.record("planned_at", before.plannedAt.map { ISO8601DateFormatter().string(from: $0) }, item.plannedAt.map { ISO8601DateFormatter().string(from: $0) })
            changes.record("is_template", String(before.isTemplate), String(item.isTemplate))
            guard !changes.isEmpty else { return item }
            let copyChanged = before.title != item.title || before.body != item.body || before.summary != item.summary || before.tags != item.tags
                || before.coverAssetID != item.coverAssetID
            if copyChanged { try await Self.reopenIfApproved(&item, db: db, by: principal, changes: &changes) }
            if before.plannedAt != item.plannedAt {
                // The planned time of a scheduled item is when its posts go out: move them too.
                let waiting = try await PublishingService(database: database).targets(contentID: id, db: db).filter { $0.state.isOpen }
                if !waiting.isEmpty {
                    guard let plannedAt = item.plannedAt else { throw ConflictError(code: "unplan_scheduled", field: "planned_at") }
                    guard plannedAt > database.now().addingTimeInterval(-300) else { throw ValidationError(field: "planned_at", code: "in_the_past") }
                    _ = try await PublishingService.moveWaitingTargets(contentID: id, to: plannedAt, database: database, by: principal, db: db)
                }
            }
            item.version += 1
            item.updatedAt = database.now()
            try await repository.update(item)
            try await repository.saveVersion(item, variants: try await repository.variants(contentID: id), author: principal)
            try await Self.audit(db, principal, .update, item, changes.changes)
            return item
        }
    }

    /// Moves an item to another calendar slot without touching its copy or
    /// review. A scheduled item's waiting posts move with it (as a reschedule
    /// would), so the calendar and the publishing queue never disagree.
    public func plan(id: String, at plannedAt: Date?, by principal: Principal, now: Date? = nil) async throws -> ContentItem {
        let now = now ?? database.now()
        if let plannedAt { guard plannedAt > now.addingTimeInterval(-300) else { throw ValidationError(field: "planned_at", code: "in_the_past") } }
        return try await database.transaction { db in
            let repository = ContentRepository(db)
            guard var item = try await repository.findForUpdate(id: id) else { throw NotFoundError(entity: "content") }
            guard item.state != .published else { throw ConflictError(code: "already_published") }
            let waiting = try await PublishingService(database: database).targets(contentID: id, db: db).filter { $0.state.isOpen }
            if !waiting.isEmpty {
                guard let plannedAt else { throw ConflictError(code: "unplan_scheduled", field: "planned_at") }
                _ = try await PublishingService.moveWaitingTargets(contentID: id, to: plannedAt, database: database, by: principal, db: db)
            }
            var changes = ChangeSet()
            let formatter = ISO8601DateFormatter()
            changes.record("planned_at", item.plannedAt.map(formatter.string(from:)), plannedAt.map(formatter.string(from:)))
            guard !changes.isEmpty else { return item }
            item.plannedAt = plannedAt
            item.updatedAt = database.now()
            try await repository.update(item)
            try await Self.audit(db, principal, .update, item, changes.changes)
            return item
        }
    }

    /// A new draft copied from a library piece or template (its variants too).
    public func duplicate(id: String, by principal: Principal) async throws -> ContentItem {
        try await database.transaction { db in
            let repository = ContentRepository(db)
            guard let source = try await repository.find(id: id) else { throw NotFoundError(entity: "content") }
            let now = database.now()
            let copy = ContentItem(id: Identifier.make("cnt"), title: source.title, body: source.body, summary: source.summary, tags: source.tags,
                                   category: source.category, coverAssetID: source.coverAssetID, state: .draft, ownerID: principal.memberID,
                                   groupID: source.groupID, topicID: nil, plannedAt: nil, version: 1, reviewStage: 0, isTemplate: false,
                                   createdBy: principal.memberID, createdAt: now, updatedAt: now)
            try await repository.insert(copy)
            var variants: [ContentVariant] = []
            for variant in try await repository.variants(contentID: id) {
                var cloned = variant
                cloned.id = Identifier.make("var")
                cloned.contentID = copy.id
                cloned.updatedAt = now
                try await repository.saveVariant(cloned)
                variants.append(cloned)
            }
            try await repository.saveVersion(copy, variants: variants, author: principal)
            try await Self.audit(db, principal, .create, copy, ["template": ["", source.id]])
            return copy
        }
    }

    // MARK: Variants

    /// Adds the variant for `platform`, generated from the master copy.
    public func addVariant(contentID: String, platform: Platform, expectedVersion: Int?, by principal: Principal) async throws -> ContentVariant {
        try await database.transaction { db in
            let repository = ContentRepository(db)
            guard var item = try await repository.findForUpdate(id: contentID) else { throw NotFoundError(entity: "content") }
            try Self.checkVersion(item, expectedVersion)
            let existing = try await repository.variants(contentID: contentID)
            if existing.contains(where: { $0.platform == platform }) { throw ConflictError(code: "variant_exists", field: "platform") }
            let variant = ContentVariant.generate(from: item, platform: platform, id: Identifier.make("var"))
            try await repository.saveVariant(variant)
            var changes = ChangeSet()
            changes.record("variants.\(platform.rawValue)", nil, "(added)")
            try await Self.reopenIfApproved(&item, db: db, by: principal, changes: &changes)
            try await Self.bump(&item, repository: repository, by: principal, db: db, changes: changes)
            return variant
        }
    }

    public func updateVariant(contentID: String, platform: Platform, _ input: VariantInput, expectedVersion: Int?, by principal: Principal) async throws -> ContentVariant {
        let title = try input.title.map { try Validate.optionalText($0, field: "title", max: 200) }
        let body = try input.body.map { text -> String in
            guard text.count <= 200_000 else { throw ValidationError(field: "body", code: "too_long", params: ["max": "200000"]) }
            return HTMLSanitizer.sanitize(text)
        }
        let tags = try input.tags.map { try Self.checkTags($0) }
        let link = try input.link.map { value -> String in
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? "" : try Validate.url(trimmed, field: "link")
        }
        return try await database.transaction { db in
            let repository = ContentRepository(db)
            guard var item = try await repository.findForUpdate(id: contentID) else { throw NotFoundError(entity: "content") }
            try Self.checkVersion(item, expectedVersion)
            guard var variant = try await repository.variants(contentID: contentID).first(where: { $0.platform == platform }) else {
                throw NotFoundError(entity: "variant")
            }
            let before = variant
            if let title { variant.title = title }
            if let body { variant.body = body }
            if let tags { variant.tags = tags }
            if let link { variant.link = link }
            if let media = input.mediaAssetIDs { variant.mediaAssetIDs = media.filter(Identifier.isPlausible) }
            guard variant != before else { return variant }
            variant.updatedAt = database.now()
            try await repository.saveVariant(variant)
            var changes = ChangeSet()
            changes.record("variants.\(platform.rawValue).title", before.title, variant.title)
            changes.record("variants.\(platform.rawValue).body", before.body == variant.body ? nil : "…", before.body == variant.body ? nil : "(changed)")
            changes.record("variants.\(platform.rawValue).tags", before.tags.joined(separator: ","), variant.tags.joined(separator: ","))
            changes.record("variants.\(platform.rawValue).link", before.link, variant.link)
            try await Self.reopenIfApproved(&item, db: db, by: principal, changes: &changes)
            try await Self.bump(&item, repository: repository, by: principal, db: db, changes: changes)
            return variant
        }
    }

    public func removeVariant(contentID: String, platform: Platform, expectedVersion: Int?, by principal: Principal) async throws {
        try await database.transaction { db in
            let repository = ContentRepository(db)
            guard var item = try await repository.findForUpdate(id: contentID) else { throw NotFoundError(entity: "content") }
            try Self.checkVersion(item, expectedVersion)
            guard try await repository.variants(contentID: contentID).contains(where: { $0.platform == platform }) else {
                throw NotFoundError(entity: "variant")
            }
            try await repository.deleteVariant(contentID: contentID, platform: platform)
            var changes = ChangeSet()
            changes.record("variants.\(platform.rawValue)", "(present)", nil)
            try await Self.reopenIfApproved(&item, db: db, by: principal, changes: &changes)
            try await Self.bump(&item, repository: repository, by: principal, db: db, changes: changes)
        }
    }

    // MARK: Shared rules

    static func checkVersion(_ item: ContentItem, _ expected: Int?) throws {
        if let expected, expected != item.version {
            throw ConflictError(code: "stale_version", field: "version", params: ["current": String(item.version), "given": String(expected)])
        }
    }

    /// An approved item whose copy changes must be reviewed again from the first stage.
    /// Any change to what will be published after a stage approved it sends the
    /// item back to the first stage. A scheduled item's targets keep their
    /// times but wait (the engine publishes only an approved copy) until it is
    /// approved again.
    static func reopenIfApproved(_ item: inout ContentItem, db: any SQLDatabase, by principal: Principal, changes: inout ChangeSet) async throws {
        guard ReviewTransition.editRestartsReview(state: item.state, stage: item.reviewStage) else { return }
        changes.record("state", item.state.rawValue, ContentState.inReview.rawValue)
        changes.record("review_stage", String(item.reviewStage), "0")
        item.state = .inReview
        item.reviewStage = 0
        try await ReviewRepository(db).record(contentID: item.id, version: item.version + 1, stage: 0, principal: principal, action: "reopened",
                                              comment: "")
    }

    static func bump(_ item: inout ContentItem, repository: ContentRepository, by principal: Principal, db: any SQLDatabase, changes: ChangeSet) async throws {
        item.version += 1
        item.updatedAt = Date()
        try await repository.update(item)
        try await repository.saveVersion(item, variants: try await repository.variants(contentID: item.id), author: principal)
        try await audit(db, principal, .update, item, changes.changes)
    }

    static func checkTags(_ tags: [String]) throws -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for raw in tags {
            let tag = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "#＃"))
            guard !tag.isEmpty, !seen.contains(tag) else { continue }
            guard tag.count <= 20 else { throw ValidationError(field: "tags", code: "tag_too_long", params: ["max": "20", "tag": tag]) }
            guard !tag.contains("\u{1F}") else { throw ValidationError(field: "tags", code: "invalid_type", params: ["type": "text"]) }
            seen.insert(tag)
            out.append(tag)
        }
        guard out.count <= 20 else { throw ValidationError(field: "tags", code: "too_many", params: ["max": "20"]) }
        return out
    }

    static func apply(_ input: ItemInput, to item: inout ContentItem, creating: Bool) throws {
        if creating || input.title != nil { item.title = try Validate.requiredText(input.title, field: "title", max: 100) }
        if let body = input.body {
            guard body.count <= 200_000 else { throw ValidationError(field: "body", code: "too_long", params: ["max": "200000"]) }
            item.body = HTMLSanitizer.sanitize(body)
        }
        if let summary = input.summary { item.summary = try Validate.optionalText(summary, field: "summary", max: 500) }
        if let tags = input.tags { item.tags = try checkTags(tags) }
        if let category = input.category {
            guard let parsed = ContentCategory(rawValue: category) else {
                throw ValidationError(field: "category", code: "invalid_choice", params: ["choices": ContentCategory.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            item.category = parsed
        }
        if case .some(let planned) = input.plannedAt { item.plannedAt = planned }
        if let template = input.isTemplate { item.isTemplate = template }
    }

    static func checkReferences(_ input: ItemInput, item: inout ContentItem, db: any SQLDatabase) async throws {
        if case .some(let owner) = input.ownerID {
            if let owner, !owner.isEmpty {
                guard let member = try await MemberRepository(db).find(id: owner), member.isActive else {
                    throw ValidationError(field: "owner_id", code: "unknown_member")
                }
                item.ownerID = member.id
            } else {
                item.ownerID = nil
            }
        }
        if case .some(let group) = input.groupID {
            if let group, !group.isEmpty {
                guard try await AccountGroupRepository(db).find(id: group) != nil else { throw ValidationError(field: "group_id", code: "unknown_group") }
                item.groupID = group
            } else {
                item.groupID = nil
            }
        }
        if case .some(let cover) = input.coverAssetID {
            if let cover, !cover.isEmpty {
                guard Identifier.isPlausible(cover), let asset = try await AssetRepository(db).find(id: cover) else {
                    throw ValidationError(field: "cover_asset_id", code: "unknown_asset")
                }
                guard asset.kind == .image else { throw ValidationError(field: "cover_asset_id", code: "cover_not_image") }
                item.coverAssetID = asset.id
            } else {
                item.coverAssetID = nil
            }
        }
    }

    static func audit(_ db: any SQLDatabase, _ principal: Principal, _ action: AuditAction, _ item: ContentItem, _ changes: [String: [String]]) async throws {
        try await Audit.record(db, principal, action, .content, item.id, label: item.title, changes: changes)
    }
}
