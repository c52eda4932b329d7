import Foundation
import MediaOpsDomain
import SQLKit

/// One finding in one field of one copy (the master or a platform variant).
public struct CheckedFinding: Sendable, Equatable {
    public var field: String
    public var finding: ComplianceFinding
}

/// Compliance findings and limit violations of the master copy and each variant.
public struct ContentCheck: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        /// "master" or a platform key.
        public var anchor: String
        public var findings: [CheckedFinding]
        public var violations: [LimitViolation]
    }

    public var parts: [Part]

    public var blocking: Int { parts.reduce(0) { $0 + $1.findings.filter { $0.finding.severity == .block }.count } }
    public var warnings: Int { parts.reduce(0) { $0 + $1.findings.filter { $0.finding.severity == .warn }.count } }
    public var violationCount: Int { parts.reduce(0) { $0 + $1.violations.count } }

    public func part(_ anchor: String) -> Part? { parts.first { $0.anchor == anchor } }
}

extension ContentService {
    /// The checker with the workspace's own word lists added to the built-in rules.
    public func checker(db: (any SQLDatabase)? = nil) async throws -> ComplianceChecker {
        ComplianceChecker(wordLists: try await WordListRepository(db ?? database.sql).checkerLists())
    }

    public func check(item: ContentItem, variants: [ContentVariant], db: (any SQLDatabase)? = nil) async throws -> ContentCheck {
        let checker = try await checker(db: db)
        func findings(_ fields: [(String, String)], platform: Platform?) -> [CheckedFinding] {
            fields.flatMap { field, text in checker.check(text, platform: platform).map { CheckedFinding(field: field, finding: $0) } }
        }
        var parts = [ContentCheck.Part(anchor: "master", findings: findings([("title", item.title), ("summary", item.summary), ("body", item.body)], platform: nil),
                                       violations: [])]
        for variant in variants {
            parts.append(ContentCheck.Part(anchor: variant.platform.rawValue,
                                           findings: findings([("title", variant.title), ("body", variant.body)], platform: variant.platform),
                                           violations: PlatformLimits.of(variant.platform).violations(variant.measure)))
        }
        return ContentCheck(parts: parts)
    }

    // MARK: Review

    /// Moves an item through review. Approving and requesting changes need the
    /// approve permission and a place in the current stage; approval is refused
    /// while a blocking compliance finding stands without a recorded override,
    /// while a variant breaks its platform's limits, or while it uses an asset
    /// whose licence has expired.
    public func review(id: String, action: ReviewAction, comment: String?, expectedVersion: Int?, by principal: Principal) async throws -> ContentItem {
        let comment = try Validate.optionalText(comment, field: "comment", max: 2_000)
        return try await database.transaction { db in
            let repository = ContentRepository(db)
            guard var item = try await repository.findForUpdate(id: id) else { throw NotFoundError(entity: "content") }
            try Self.checkVersion(item, expectedVersion)
            let reviews = ReviewRepository(db)
            let flow = try await reviews.flow(groupID: item.groupID)
            switch action {
            case .submit, .withdraw:
                guard principal.can(.contentWrite) else { throw PermissionError(code: "not_allowed_to_submit") }
            case .approve, .requestChanges:
                guard principal.can(.contentApprove) else { throw PermissionError(code: "not_a_reviewer") }
                guard item.state == .inReview else { break }  // the transition below explains the refusal
                let stage = flow.stages[min(item.reviewStage, flow.stages.count - 1)]
                guard let member = principal.memberID, stage.admits(memberID: member, roleKeys: principal.roleKeys) else {
                    throw PermissionError(code: "not_in_review_stage", params: ["stage": stage.name])
                }
            }
            if action == .requestChanges && comment.isEmpty { throw ValidationError(field: "comment", code: "comment_required") }
            let outcome = try ReviewTransition.apply(action, state: item.state, stage: item.reviewStage, stageCount: flow.stages.count)
            if action == .approve && outcome.state == .approved {
                let variants = try await repository.variants(contentID: id)
                let report = try await check(item: item, variants: variants, db: db)
                if report.violationCount > 0 {
                    throw ConflictError(code: "limits_exceeded", params: ["count": String(report.violationCount)])
                }
                if report.blocking > 0, !(try await reviews.hasOverride(contentID: id, version: item.version)) {
                    throw ConflictError(code: "compliance_blocked", params: ["count": String(report.blocking)])
                }
                let expired = try await AssetGate.expiredAssets(usedBy: id, db: db)
                if !expired.isEmpty {
                    throw ConflictError(code: "asset_licence_expired", params: ["assets": expired.joined(separator: "、")])
                }
            }
            let before = item.state
            // The trail records the stage the decision was taken at, so it can say who decided what where.
            let decidedAt = item.reviewStage
            item.state = outcome.state
            // Approved again after an edit: its targets were waiting, so it is scheduled again
            // and they go out (late ones at once) with the copy just approved.
            if outcome.state == .approved,
               try await PublishingService(database: database).targets(contentID: id, db: db).contains(where: { $0.state == .scheduled }) {
                item.state = .scheduled
            }
            item.reviewStage = outcome.stage
            item.updatedAt = database.now()
            try await repository.update(item)
            try await reviews.record(contentID: id, version: item.version, stage: [.approve, .requestChanges].contains(action) ? decidedAt : outcome.stage,
                                     principal: principal, action: action.rawValue, comment: comment)
            var changes = ChangeSet()
            changes.record("state", before.rawValue, item.state.rawValue)
            changes.record("review_stage", nil, String(item.reviewStage))
            try await Self.audit(db, principal, .update, item, changes.changes)
            try await notifyAfterReview(item: item, action: action, flow: flow, principal: principal, db: db)
            return item
        }
    }

    /// Records why a blocking finding is acceptable for this version (audited).
    public func overrideCompliance(id: String, reason: String?, by principal: Principal) async throws {
        guard principal.can(.complianceOverride) else { throw PermissionError(code: "not_allowed_to_override") }
        let reason = try Validate.requiredText(reason, field: "reason", max: 1_000)
        try await database.transaction { db in
            guard let item = try await ContentRepository(db).find(id: id) else { throw NotFoundError(entity: "content") }
            try await ReviewRepository(db).recordOverride(contentID: id, version: item.version, principal: principal, reason: reason)
            try await ReviewRepository(db).record(contentID: id, version: item.version, stage: item.reviewStage, principal: principal, action: "override", comment: reason)
            try await Self.audit(db, principal, .update, item, ["compliance_override": ["", reason]])
        }
    }

    /// The flow an item of `groupID` goes through: the group's own, else the workspace default.
    public func flow(groupID: String?) async throws -> ReviewFlow {
        try await ReviewRepository(database.sql).flow(groupID: groupID)
    }

    public func saveFlow(groupID: String?, stages: [ReviewStage], by principal: Principal) async throws {
        guard stages.count <= 5 else { throw ValidationError(field: "stages", code: "too_many", params: ["max": "5"]) }
        var cleaned: [ReviewStage] = []
        for (index, stage) in stages.enumerated() {
            let name = try Validate.requiredText(stage.name, field: "stages.\(index).name", max: 30)
            guard !stage.roleKeys.isEmpty || !stage.memberIDs.isEmpty else {
                throw ValidationError(field: "stages.\(index).roles", code: "stage_needs_approvers")
            }
            cleaned.append(ReviewStage(name: name, roleKeys: stage.roleKeys, memberIDs: stage.memberIDs))
        }
        let stagesToSave = cleaned
        try await database.transaction { db in
            for stage in stagesToSave {
                for key in stage.roleKeys where try await RoleRepository(db).find(key: key) == nil {
                    throw ValidationError(field: "stages", code: "unknown_role", params: ["role": key])
                }
                for member in stage.memberIDs where try await MemberRepository(db).find(id: member) == nil {
                    throw ValidationError(field: "stages", code: "unknown_member")
                }
            }
            if let groupID, try await AccountGroupRepository(db).find(id: groupID) == nil { throw NotFoundError(entity: "account_group") }
            try await ReviewRepository(db).saveFlow(groupKey: groupID ?? ReviewRepository.defaultKey, stages: stagesToSave)
            try await Audit.record(db, principal, .update, .reviewFlow, groupID ?? ReviewRepository.defaultKey,
                                   label: stagesToSave.map(\.name).joined(separator: " → "))
        }
    }

    /// The items waiting at a review stage `member` belongs to, oldest first,
    /// with that stage. Flows are read once per group, not once per item.
    public func reviewQueue(for principal: Principal, limit: Int = 200) async throws -> [(item: ContentItem, stage: ReviewStage)] {
        try await reviewQueue(for: principal, page: PageRequest(page: 1, perPage: min(max(limit, 1), PageRequest.maxPerPage))).items
    }

    /// The items waiting for this member's decision, oldest first, a page at a
    /// time. The flows (a handful) say which (group, stage) pairs this member
    /// decides; the database selects and counts just those items, so a queue of
    /// thousands is not read to show a page of it.
    public func reviewQueue(for principal: Principal, page: PageRequest) async throws -> Page<(item: ContentItem, stage: ReviewStage)> {
        let empty = Page<(item: ContentItem, stage: ReviewStage)>(items: [], total: 0, page: page.page, perPage: page.perPage)
        guard principal.can(.contentApprove), let memberID = principal.memberID else { return empty }
        let reviews = ReviewRepository(database.sql)
        let defined = try await reviews.definedFlows().filter { !$0.value.isEmpty }
        let fallback = defined[ReviewRepository.defaultKey] ?? ReviewFlow.standard.stages
        var slots: [ReviewRepository.QueueSlot] = []
        func admitted(_ stages: [ReviewStage], group: ReviewRepository.QueueSlot.Group) {
            for (index, stage) in stages.enumerated() where stage.admits(memberID: memberID, roleKeys: principal.roleKeys) {
                slots.append(.init(group: group, stage: index, orLater: index == stages.count - 1))
            }
        }
        let ownGroups = defined.keys.filter { $0 != ReviewRepository.defaultKey }.sorted()
        for key in ownGroups { admitted(defined[key]!, group: .group(key)) }
        admitted(fallback, group: .others(excluding: ownGroups))
        guard !slots.isEmpty else { return empty }
        let (entries, total) = try await reviews.queue(slots: slots, limit: page.perPage, offset: page.offset)
        let items = try await ContentRepository(database.sql).find(ids: entries.map(\.id))
        let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let queue: [(item: ContentItem, stage: ReviewStage)] = items.compactMap { item in
            guard let entry = byID[item.id] else { return nil }
            let stages = entry.groupID.flatMap { defined[$0] } ?? fallback
            return (item, stages[min(entry.stage, stages.count - 1)])
        }
        return Page(items: queue, total: total, page: page.page, perPage: page.perPage)
    }

    // MARK: Comments

    /// A comment on the whole item or on a passage; @name or @e-mail mentions notify those members.
    public func comment(id: String, body: String?, anchor: String?, rangeStart: Int?, rangeEnd: Int?, quote: String?, by principal: Principal) async throws -> ReviewComment {
        let body = try Validate.requiredText(body, field: "body", max: 2_000)
        let anchor = anchor.flatMap { $0.isEmpty ? nil : $0 } ?? "master"
        guard anchor == "master" || Platform(rawValue: anchor) != nil else { throw ValidationError(field: "anchor", code: "invalid_choice", params: ["choices": "master, <platform>"]) }
        if let start = rangeStart, let end = rangeEnd {
            _ = try Validate.integer(start, field: "range_start", in: 0...10_000_000)
            _ = try Validate.integer(end, field: "range_end", in: 0...10_000_000)
            guard end > start else { throw ValidationError(field: "range_end", code: "invalid_range") }
        } else if rangeStart != nil || rangeEnd != nil {
            throw ValidationError(field: rangeStart == nil ? "range_start" : "range_end", code: "required")
        }
        let quote = try Validate.optionalText(quote, field: "quote", max: 500)
        return try await database.transaction { db in
            guard let item = try await ContentRepository(db).find(id: id) else { throw NotFoundError(entity: "content") }
            let comment = ReviewComment(id: Identifier.makeOrdered("cmt"), authorID: principal.memberID, authorName: principal.name, body: body,
                                        anchor: anchor, rangeStart: rangeStart, rangeEnd: rangeEnd, quote: quote, at: database.now())
            try await ReviewRepository(db).addComment(comment, contentID: id)
            for member in try await Self.mentioned(in: body, db: db) where member.id != principal.memberID {
                try await NotificationRepository(db).add(userID: member.id, kind: "mention", title: item.title,
                                                         body: "\(principal.name): \(body)", link: "/content/\(id)#comments")
            }
            return comment
        }
    }

    /// Members named by "@姓名", "@local-part" or "@full@e-mail" in a text.
    static func mentioned(in text: String, db: any SQLDatabase) async throws -> [Member] {
        guard let regex = try? NSRegularExpression(pattern: #"@([\p{L}\p{N}_.\-]+(?:@[\p{L}\p{N}_.\-]+)?)"#) else { return [] }
        let handles = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        }
        guard !handles.isEmpty else { return [] }
        let members = try await MemberRepository(db).all().filter(\.isActive)
        return members.filter { member in
            let email = member.email.lowercased()
            let local = String(email.split(separator: "@").first ?? "")
            return handles.contains { $0 == member.name.lowercased() || $0 == email || $0 == local }
        }
    }

    /// Tells the next stage's approvers an item waits for them, and the author how review ended.
    func notifyAfterReview(item: ContentItem, action: ReviewAction, flow: ReviewFlow, principal: Principal, db: any SQLDatabase) async throws {
        let notifications = NotificationRepository(db)
        let link = "/content/\(item.id)"
        if item.state == .inReview, action == .submit || action == .approve, item.reviewStage < flow.stages.count {
            let stage = flow.stages[item.reviewStage]
            for member in try await MemberRepository(db).all() where member.isActive && member.id != principal.memberID
                && stage.admits(memberID: member.id, roleKeys: member.roleKeys) {
                try await notifications.add(userID: member.id, kind: "review_requested", title: item.title, body: stage.name, link: link)
            }
        }
        if let author = item.ownerID ?? item.createdBy, author != principal.memberID, action == .requestChanges || item.state == .approved {
            try await notifications.add(userID: author, kind: item.state == .approved ? "approved" : "changes_requested", title: item.title,
                                        body: principal.name, link: link)
        }
    }
}

/// Content that uses an asset whose licence has run out may not be approved.
enum AssetGate {
    static func expiredAssets(usedBy contentID: String, db: any SQLDatabase) async throws -> [String] {
        try await AssetRepository(db).expiredAssets(usedBy: contentID, on: Date()).map(\.name)
    }
}
