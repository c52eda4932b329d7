import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Training records and assessment standards per position, in the 团队 room:
/// pages under /team/training and `/api/v1/training…`. Recording courses needs
/// `reviews.manage` (and power over the member); a member with `kpis.view`
/// reads their own; standards are read with `knowledge.view` and rewritten with `kpis.manage`.
struct TrainingController {
    let dependencies: KnowledgeDependencies
    let pages: PageSupport

    var training: TrainingService { dependencies.training }
    static let readAccess = Access.anyOf([.kpisView, .reviewsManage])

    func register(_ routes: Routes) {
        // API
        routes.get("/api/v1/training/records", .permission(.reviewsManage)) { request, context, identity in
            let year = try await Self.year(request, today: try await training.today().day)
            let records = try await training.records(from: LocalDate(year: year, month: 1, day: 1), to: LocalDate(year: year, month: 12, day: 31),
                                                     for: identity.principal)
            let t = pages.localizer(context), names = try await memberNames()
            return try JSONOutput.response(ItemsDTO(items: records.map { TrainingRecordDTO($0, names: names, t: t) }))
        }
        routes.post("/api/v1/training/records", .permission(.reviewsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let draft = try TrainingInput.record(TrainingInput.JSONSource(input: input), base: nil, today: try await training.today().day)
            let created = try await training.create(draft, by: identity.principal)
            return try JSONOutput.response(TrainingRecordDTO(created, names: try await memberNames(), t: pages.localizer(context)), status: .created)
        }
        routes.get("/api/v1/training/records/{id}", Self.readAccess) { _, context, identity in
            let record = try await record(context, identity)
            return try JSONOutput.response(TrainingRecordDTO(record, names: try await memberNames(), t: pages.localizer(context)))
        }
        routes.patch("/api/v1/training/records/{id}", .permission(.reviewsManage)) { request, context, identity in
            let existing = try await record(context, identity)
            let input = try await JSONInput.read(request, context: context)
            let edited = try TrainingInput.record(TrainingInput.JSONSource(input: input), base: existing, today: try await training.today().day)
            let saved = try await training.update(edited, by: identity.principal)
            return try JSONOutput.response(TrainingRecordDTO(saved, names: try await memberNames(), t: pages.localizer(context)))
        }
        routes.delete("/api/v1/training/records/{id}", .permission(.reviewsManage)) { _, context, identity in
            try await training.delete(id: try await record(context, identity).id, by: identity.principal)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/training/members/{id}/records", Self.readAccess) { request, context, identity in
            let member = try await member(context)
            let page = try await training.records(memberID: member.id, page: try request.pageRequest(defaultPerPage: 50), for: identity.principal)
            let t = pages.localizer(context), names = try await memberNames()
            return try JSONOutput.response(PageDTO(page) { TrainingRecordDTO($0, names: names, t: t) })
        }
        routes.get("/api/v1/training/standards", .permission(.knowledgeView)) { _, context, _ in
            let t = pages.localizer(context)
            let standards = AssessmentDefaults.all(custom: try await training.customStandards(), catalogs: pages.renderer.catalogs)
            return try JSONOutput.response(ItemsDTO(items: standards.map { AssessmentStandardDTO($0, t: t) }))
        }
        routes.get("/api/v1/training/standards/{role}", .permission(.knowledgeView)) { _, context, _ in
            let role = try Self.position(context)
            return try JSONOutput.response(AssessmentStandardDTO(try await standard(role), t: pages.localizer(context)))
        }
        routes.patch("/api/v1/training/standards/{role}", .permission(.kpisManage)) { request, context, identity in
            let role = try Self.position(context)
            let input = try await JSONInput.read(request, context: context)
            let criteria = try TrainingInput.criteria(input)
            let saved = try await training.saveStandard(AssessmentStandard(roleKey: role.rawValue, criteria: criteria, customized: true),
                                                      label: pages.localizer(context).t("role.\(role.rawValue).name"), by: identity.principal)
            return try JSONOutput.response(AssessmentStandardDTO(saved, t: pages.localizer(context)))
        }
        routes.delete("/api/v1/training/standards/{role}", .permission(.kpisManage)) { _, context, identity in
            let role = try Self.position(context)
            try await training.resetStandard(roleKey: role.rawValue, label: pages.localizer(context).t("role.\(role.rawValue).name"), by: identity.principal)
            return JSONOutput.noContent()
        }

        // Pages
        routes.get(TrainingPath.overview, .permission(.reviewsManage)) { request, context, identity in
            try await overviewPage(request, context, identity)
        }
        routes.get(TrainingPath.new, .permission(.reviewsManage)) { request, context, _ in
            let today = try await training.today().day
            let memberID = request.query("member").flatMap { Identifier.isPlausible($0) ? $0 : nil }
            return try await formPage(nil, values: TrainingInput.values(of: nil, memberID: memberID, today: today), request, context)
        }
        routes.post(TrainingPath.overview, .permission(.reviewsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let draft = try TrainingInput.record(TrainingInput.FormSource(form: form), base: nil, today: try await training.today().day)
                let created = try await training.create(draft, by: identity.principal)
                return pages.redirect(TrainingPath.member(.value(created.memberID)), flash: "flash.training_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(nil, values: TrainingInput.values(form), errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.get(TrainingPath.member(.key), Self.readAccess) { request, context, identity in
            try await memberPage(request, context, identity)
        }
        routes.get(TrainingPath.record(.key), .permission(.reviewsManage)) { request, context, identity in
            let existing = try await record(context, identity)
            return try await formPage(existing, values: TrainingInput.values(of: existing, memberID: nil, today: try await training.today().day), request, context)
        }
        routes.post(TrainingPath.record(.key), .permission(.reviewsManage)) { request, context, identity in
            let existing = try await record(context, identity)
            let form = try await pages.readForm(request, context: context)
            do {
                let edited = try TrainingInput.record(TrainingInput.FormSource(form: form), base: existing, today: try await training.today().day)
                _ = try await training.update(edited, by: identity.principal)
                return pages.redirect(TrainingPath.member(.value(existing.memberID)), flash: "flash.training_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                var values = TrainingInput.values(form)
                values["member_id"] = existing.memberID
                return try await formPage(existing, values: values, errors: refusal.errors, request, context, status: refusal.status)
            }
        }
        routes.post(TrainingPath.recordDelete(.key), .permission(.reviewsManage)) { request, context, identity in
            let existing = try await record(context, identity)
            _ = try await pages.readForm(request, context: context)
            try await training.delete(id: existing.id, by: identity.principal)
            return pages.redirect(TrainingPath.member(.value(existing.memberID)), flash: "flash.training_deleted")
        }
        routes.get(TrainingPath.standards, .permission(.knowledgeView)) { request, context, identity in
            let t = pages.localizer(context)
            let standards = AssessmentDefaults.all(custom: try await training.customStandards(), catalogs: pages.renderer.catalogs)
            let model = StandardsPage.make(standards, canManage: identity.permissions.contains(.kpisManage), names: try await memberNames(), t: t)
            return pages.render(.trainingStandards, title: t.t("standards.title"), page: model, request: request, context: context)
        }
        routes.get(TrainingPath.standard(.key), .permission(.kpisManage)) { request, context, _ in
            let role = try Self.position(context)
            let standard = try await standard(role)
            return try await standardForm(role, standard: standard, criteria: standard.criteria, request, context)
        }
        routes.post(TrainingPath.standard(.key), .permission(.kpisManage)) { request, context, identity in
            let role = try Self.position(context)
            let form = try await pages.readForm(request, context: context)
            let criteria = TrainingInput.criteria(form)
            do {
                _ = try await training.saveStandard(AssessmentStandard(roleKey: role.rawValue, criteria: criteria, customized: true),
                                                      label: pages.localizer(context).t("role.\(role.rawValue).name"), by: identity.principal)
                return pages.redirect(TrainingPath.standards.path + "#standard-\(role.rawValue)", flash: "flash.standard_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await standardForm(role, standard: try await standard(role), criteria: criteria, errors: refusal.errors, request, context,
                                              status: refusal.status)
            }
        }
        routes.post(TrainingPath.standardReset(.key), .permission(.kpisManage)) { request, context, identity in
            let role = try Self.position(context)
            _ = try await pages.readForm(request, context: context)
            try await training.resetStandard(roleKey: role.rawValue, label: pages.localizer(context).t("role.\(role.rawValue).name"), by: identity.principal)
            return pages.redirect(TrainingPath.standards.path + "#standard-\(role.rawValue)", flash: "flash.standard_reset")
        }
    }

    func record(_ context: AppRequestContext, _ identity: Identity) async throws -> TrainingRecord {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id) else { throw NotFoundError(entity: "training_record") }
        return try await training.record(id: id, for: identity.principal)
    }

    func member(_ context: AppRequestContext) async throws -> Member {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let member = try await dependencies.team.members().first(where: { $0.id == id }) else {
            throw NotFoundError(entity: "member")
        }
        return member
    }

    func memberNames() async throws -> [String: String] {
        Dictionary(try await dependencies.team.members().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    func standard(_ role: BuiltinRole) async throws -> AssessmentStandard {
        try await training.customStandards()[role.rawValue] ?? AssessmentDefaults.standard(role, catalogs: pages.renderer.catalogs)
    }

    static func position(_ context: AppRequestContext) throws -> BuiltinRole {
        guard let key = context.parameters.get("role"), let role = BuiltinRole(rawValue: key), AssessmentStandard.positions.contains(role) else {
            throw NotFoundError(entity: "assessment_standard")
        }
        return role
    }

    /// `?year=`: 2000 up to next year; this year when absent.
    static func year(_ request: Request, today: LocalDate) async throws -> Int {
        guard let text = request.query("year") else { return today.year }
        guard let year = Int(text), (2000...today.year + 1).contains(year) else {
            throw ValidationError(field: "year", code: "out_of_range", params: ["min": "2000", "max": String(today.year + 1)])
        }
        return year
    }

    // MARK: Pages

    func overviewPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let today = try await training.today().day
        let year: Int
        do { year = try await Self.year(request, today: today) } catch let error as ValidationError {
            return pages.errorPage(status: .unprocessableContent, message: t.error(error.code, field: error.field, params: error.params), request: request, context: context)
        }
        let records = try await training.records(from: LocalDate(year: year, month: 1, day: 1), to: LocalDate(year: year, month: 12, day: 31), for: identity.principal)
        let members = try await dependencies.team.members().filter(\.isActive)
        let model = TrainingOverviewPage.make(records: records, members: members, roles: try await dependencies.team.roles(), year: year, thisYear: today.year, t: t)
        return pages.render(.trainingOverview, title: t.t("training.title"), page: model, request: request, context: context)
    }

    func memberPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let member = try await member(context)
        let page = try await training.records(memberID: member.id, page: try request.pageRequest(defaultPerPage: 30), for: identity.principal)
        var assets: [String: String] = [:]
        for id in Set(page.items.compactMap(\.certificateAssetID)) { assets[id] = try await dependencies.assets.find(id: id)?.name }
        let model = TrainingMemberPage.make(member: member, page: page, names: try await memberNames(), assets: assets, address: PageAddress(request),
                                            canManage: identity.permissions.contains(.reviewsManage), isSelf: identity.member.id == member.id,
                                            today: try await training.today().day, t: t)
        let title = identity.member.id == member.id ? t.t("training.my_title") : t.t("training.member_title", ["name": member.name])
        return pages.render(.trainingMember, title: title, page: model, request: request, context: context)
    }

    func formPage(_ record: TrainingRecord?, values: [String: String], errors: FormErrors = FormErrors(), _ request: Request,
                  _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let members = try await dependencies.team.members().filter(\.isActive)
        let assets = try await dependencies.assets.list(filter: AssetFilter(), page: PageRequest(page: 1, perPage: 100)).items
        var assetOptions = [SelectOption(value: "", label: t.t("training.no_certificate"), selected: (values["certificate_asset_id"] ?? "").isEmpty)]
        assetOptions += assets.map { SelectOption(value: $0.id, label: $0.name, selected: values["certificate_asset_id"] == $0.id) }
        if let chosen = values["certificate_asset_id"], !chosen.isEmpty, !assets.contains(where: { $0.id == chosen }),
           let asset = try await dependencies.assets.find(id: chosen) {
            assetOptions.append(SelectOption(value: asset.id, label: asset.name, selected: true))
        }
        let memberName = record.flatMap { r in members.first { $0.id == r.memberID }?.name }
        let model = TrainingFormPage(
            action: record.map { TrainingPath.record(.value($0.id)).path } ?? TrainingPath.overview.path,
            backHref: record.map { TrainingPath.member(.value($0.memberID)).path } ?? TrainingPath.overview.path,
            isNew: record == nil, memberName: memberName, values: values,
            members: [SelectOption(value: "", label: t.t("training.choose_member"), selected: (values["member_id"] ?? "").isEmpty)]
                + members.map { SelectOption(value: $0.id, label: $0.name, selected: values["member_id"] == $0.id) },
            results: TrainingResult.allCases.map { SelectOption(value: $0.rawValue, label: t.t("training.result_\($0.rawValue)"), selected: values["result"] == $0.rawValue) },
            assets: assetOptions, errors: errors.messages, summary: summary,
            deleteAction: record.map { TrainingPath.recordDelete(.value($0.id)).path },
            deleteConfirm: record.map { t.t("training.delete_confirm", ["course": $0.course]) } ?? "")
        let title = record.map { t.t("training.edit_title", ["course": $0.course]) } ?? t.t("training.new_title")
        return pages.render(.trainingForm, title: title, page: model, request: request, context: context, status: status)
    }

    func standardForm(_ role: BuiltinRole, standard: AssessmentStandard, criteria: [AssessmentCriterion], errors: FormErrors = FormErrors(),
                      _ request: Request, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        var summary = errors.summary
        if summary == nil, errors.messages.count > 1 { summary = t.t("common.form_errors", ["count": String(errors.messages.count)]) }
        let model = StandardFormPage.make(role: role, standard: standard, criteria: criteria, errors: errors, summary: summary, t: t)
        return pages.render(.trainingStandardForm, title: t.t("standards.edit_title", ["role": t.t("role.\(role.rawValue).name")]), page: model,
                            request: request, context: context, status: status)
    }
}
