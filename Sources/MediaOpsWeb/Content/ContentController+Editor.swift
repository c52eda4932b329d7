import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

extension ContentController {
    func findingRows(_ findings: [CheckedFinding], text: (String) -> String, _ t: Localizer) -> [FindingRow] {
        findings.map { checked in
            let finding = checked.finding
            let source = text(checked.field)
            let scalars = Array(source.unicodeScalars)
            let from = max(0, finding.start - 12), to = min(scalars.count, finding.end + 12)
            var snippet = ""
            if from < to, finding.end <= scalars.count {
                snippet = String(String.UnicodeScalarView(scalars[from..<to]))
                // The window may cut a tag in half: drop the broken ends before removing tags.
                if let close = snippet.firstIndex(of: ">"), snippet[..<close].firstIndex(of: "<") == nil {
                    snippet = String(snippet[snippet.index(after: close)...])
                }
                if let open = snippet.lastIndex(of: "<"), snippet[open...].firstIndex(of: ">") == nil {
                    snippet = String(snippet[..<open])
                }
                snippet = HTMLSanitizer.plainText(snippet)
            }
            return FindingRow(field: t.t("content.field_\(checked.field)"), term: finding.term,
                              category: t.t("compliance.category_\(finding.category.rawValue)"), article: finding.article,
                              severity: t.t("compliance.severity_\(finding.severity.rawValue)"), blocking: finding.severity == .block,
                              suggestion: t.locale == .zhHans ? finding.suggestionZh : finding.suggestionEn, context: snippet)
        }
    }

    func editorPage(_ item: ContentItem, errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                    status: HTTPResponse.Status = .ok, scheduleForm: FormData? = nil) async throws -> Response {
        let t = pages.localizer(context)
        let can = identity.permissions.contains
        let variants = try await service.variants(contentID: item.id)
        let check = try await service.check(item: item, variants: variants)
        let flow = try await service.flow(groupID: item.groupID)
        let overridden = try await service.hasComplianceOverride(contentID: item.id, version: item.version)
        let roles = try await dependencies.team.roles()
        let members = try await dependencies.team.members()

        let masterFindings = findingRows(check.part("master")?.findings ?? [], text: { field in
            field == "title" ? item.title : field == "summary" ? item.summary : item.body
        }, t)
        let sections: [VariantSection] = variants.map { variant in
            let limits = PlatformLimits.of(variant.platform)
            let measure = variant.measure
            let part = check.part(variant.platform.rawValue)
            let plain = HTMLSanitizer.plainText(variant.body)
            return VariantSection(
                platform: variant.platform.rawValue,
                action: ContentPath.itemVariant(.value(item.id), .value(variant.platform)).path,
                deleteAction: ContentPath.itemVariantDelete(.value(item.id), .value(variant.platform)).path,
                platformName: t.platformName(variant.platform), shortName: t.platformShortName(variant.platform),
                // Long-form platforms keep their markup in the editor; short-text ones edit plain text.
                title: variant.title, body: variant.body, bodyText: (limits.bodyMax ?? 0) >= 3_000 ? HTMLSanitizer.editableText(variant.body) : plain, tags: variant.tags.joined(separator: " "), link: variant.link,
                hasTitle: limits.hasTitle, titleMax: limits.titleMax.map(String.init) ?? "", bodyMax: limits.bodyMax.map(String.init) ?? "",
                counting: limits.counting.rawValue, titleLength: limits.counting.count(measure.title), bodyLength: limits.counting.count(measure.bodyText),
                findings: findingRows(part?.findings ?? [], text: { $0 == "title" ? variant.title : variant.body }, t),
                violations: (part?.violations ?? []).map {
                    ViolationRow(message: t.t("content.limit_violation", ["field": t.t("content.field_\($0.field)"), "limit": String($0.limit), "actual": String($0.actual)]))
                },
                previewParagraphs: plain.components(separatedBy: "\n").filter { !$0.isEmpty },
                previewClass: "preview-\(variant.platform.rawValue)")
        }
        let present = Set(variants.map(\.platform))
        let zone = t.timeZone
        // The form always shows the stored item: a refused save re-renders the
        // latest version next to the reason, so nobody edits a stale copy.
        let values = [
            "title": item.title, "summary": item.summary, "body": HTMLSanitizer.editableText(item.body), "tags": item.tags.joined(separator: " "),
            "category": item.category.rawValue, "group_id": item.groupID ?? "", "owner_id": item.ownerID ?? "",
            "planned_at": ContentInputParsing.localInputValue(item.plannedAt, zone: zone),
        ]
        let stageRows = flow.stages.enumerated().map { index, stage in
            let names = stage.roleKeys.compactMap { key in roles.first { $0.key == key }.map(t.roleName) }
                + stage.memberIDs.compactMap { id in members.first { $0.id == id }?.name }
            return StageRow(name: t.stageName(stage), approvers: t.list(names),
                            current: item.state == .inReview && index == item.reviewStage,
                            done: item.state == .approved || item.state == .scheduled || item.state == .published || (item.state == .inReview && index < item.reviewStage))
        }
        let currentStage = flow.stages[min(item.reviewStage, flow.stages.count - 1)]
        var model = EditorPage(
            id: item.id, version: item.version, values: values, errors: errors.messages,
            fieldWarnings: Self.plannedWarning(item.state == .published ? nil : item.plannedAt, t), summary: errors.summary,
            state: t.t("content.state_\(item.state.rawValue)"), stateKey: item.state.rawValue,
            categories: categoryOptions(t, selected: item.category.rawValue),
            groups: try await groupOptions(t, selected: item.groupID, emptyLabel: t.t("content.no_group")),
            owners: try await ownerOptions(t, selected: item.ownerID, emptyLabel: t.t("accounts.no_owner")),
            covers: try await coverOptions(t, selected: item.coverAssetID),
            coverURL: item.coverAssetID.map { ContentPath.assetFile(.value($0)).path },
            timeZone: zone.identifier,
            masterFindings: masterFindings, blocking: check.blocking, warnings: check.warnings, violations: check.violationCount,
            clean: check.blocking == 0 && check.warnings == 0 && check.violationCount == 0,
            variants: sections,
            addablePlatforms: Platform.allCases.filter { !present.contains($0) }.map { SelectOption(value: $0.rawValue, label: t.platformName($0), selected: false) },
            canWrite: can(.contentWrite) && item.state != .published,
            canComment: Access.contentContributor.admits(identity.permissions),
            canSubmit: can(.contentWrite) && (item.state == .draft || item.state == .changesRequested),
            canWithdraw: can(.contentWrite) && (item.state == .inReview || item.state == .changesRequested),
            canDecide: can(.contentApprove) && item.state == .inReview && currentStage.admits(memberID: identity.member.id, roleKeys: identity.member.roleKeys),
            blockingAtStage: check.blocking > 0 && !overridden ? t.t("content.blocking_at_stage", ["count": String(check.blocking)]) : nil,
            decideHint: can(.contentApprove) && item.state == .inReview && !currentStage.admits(memberID: identity.member.id, roleKeys: identity.member.roleKeys)
                ? t.t("content.not_your_stage", ["stage": t.stageName(currentStage),
                                                  "approvers": stageRows[min(item.reviewStage, stageRows.count - 1)].approvers]) : nil,
            canOverride: can(.complianceOverride) && check.blocking > 0 && !overridden,
            overridden: overridden,
            stages: stageRows,
            events: try await service.reviewEvents(contentID: item.id).prefix(20).map { event in
                // A decision names its stage, counted from 1 as people count: "在第 1 步「内容主管」审核通过".
                let action = t.t("content.event_\(event.action)")
                let decided = ["approve", "request_changes"].contains(event.action) && flow.stages.count > 1
                let stage = flow.stages[min(max(event.stage, 0), flow.stages.count - 1)]
                return ReviewEventRow(at: t.dateTime(event.at), who: event.memberName,
                                      action: decided ? t.t("content.event_at_stage", ["number": String(min(event.stage, flow.stages.count - 1) + 1),
                                                                                        "stage": t.stageName(stage), "action": action]) : action,
                                      comment: event.comment.isEmpty ? nil : event.comment)
            },
            comments: try await service.comments(contentID: item.id).map {
                CommentRow(author: $0.authorName, at: t.dateTime($0.at), body: $0.body,
                           anchor: $0.anchor == "master" ? t.t("content.master") : (Platform(rawValue: $0.anchor).map(t.platformShortName) ?? $0.anchor),
                           quote: $0.quote)
            },
            anchors: [SelectOption(value: "master", label: t.t("content.master"), selected: true)]
                + variants.map { SelectOption(value: $0.platform.rawValue, label: t.platformShortName($0.platform), selected: false) },
            isTemplate: item.isTemplate, links: EditorLinks(item),
            publishing: try await PublishingController(dependencies: dependencies.publishing, pages: pages)
                .contentSection(item, errors: errors, form: scheduleForm, context: context, identity: identity))
        if let knowledge = dependencies.knowledge {
            model.related = try await KnowledgeController.relatedSection(.content, targetID: item.id, knowledge: knowledge, identity: identity, t: t)
        }
        return pages.render(.contentEditor, title: item.title, page: model, request: request, context: context, status: status)
    }

    // MARK: Versions

    func versionsPage(_ item: ContentItem, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = pages.localizer(context)
        let versions = try await service.versions(contentID: item.id)
        let to = try request.query("to").map { raw -> Int in
            guard let value = Int(raw) else { throw ValidationError(field: "to", code: "invalid_number") }
            return value
        } ?? item.version
        let from = try request.query("from").map { raw -> Int in
            guard let value = Int(raw) else { throw ValidationError(field: "from", code: "invalid_number") }
            return value
        } ?? max(1, to - 1)
        let old = versions.first { $0.version == from }
        let new = versions.first { $0.version == to }
        let segments = (old != nil && new != nil) ? TextDiff.segments(from: old!.snapshot.readableText, to: new!.snapshot.readableText) : []
        let model = VersionsPage(
            id: item.id, itemHref: ContentPath.item(.value(item.id)).path, versionsAction: ContentPath.itemVersions(.value(item.id)).path, title: item.title,
            rows: versions.map { VersionRow(number: $0.version, author: $0.authorName, at: t.fullDateTime($0.createdAt), title: $0.snapshot.title,
                                            isFrom: $0.version == from, isTo: $0.version == to) },
            from: from, to: to,
            segments: segments.map { Segment(kind: $0.kind.rawValue, text: $0.text) },
            hasDiff: old != nil && new != nil,
            identical: segments.allSatisfy { $0.kind == .same },
            fromOptions: versions.map { SelectOption(value: String($0.version), label: "v\($0.version)", selected: $0.version == from) },
            toOptions: versions.map { SelectOption(value: String($0.version), label: "v\($0.version)", selected: $0.version == to) })
        return pages.render(.contentVersions, title: t.t("content.versions_title", ["title": item.title]), page: model, request: request, context: context)
    }
}
