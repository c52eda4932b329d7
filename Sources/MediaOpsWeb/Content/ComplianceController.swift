import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// Compliance: the check endpoint, the workspace word lists and review flows.
struct ComplianceController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.post("/api/v1/compliance/check", .permission(.contentView)) { request, context in
            let input = try await JSONInput.read(request, context: context)
            guard let text = try input.string("text") else { throw ValidationError(field: "text", code: "required") }
            guard text.count <= 200_000 else { throw ValidationError(field: "text", code: "too_long", params: ["max": "200000"]) }
            var platform: Platform?
            if let raw = try input.string("platform"), !raw.isEmpty { platform = try ContentInputParsing.platform(raw) }
            let checker = try await dependencies.content.checker()
            let findings = checker.check(text, platform: platform)
            let summary = ComplianceChecker.summary(findings)
            struct Body: Encodable { var blocking: Int; var warnings: Int; var findings: [FindingDTO] }
            return try JSONOutput.response(Body(blocking: summary.blocking, warnings: summary.warnings,
                                                findings: findings.map { FindingDTO($0, field: nil, locale: context.locale) }))
        }
        routes.get("/api/v1/compliance/word-lists", .permission(.contentView)) { _, _ in
            struct Entry: Encodable { var id: String; var category: String; var term: String; var severity: String; var created_at: Date }
            return try JSONOutput.response(ItemsDTO(items: try await dependencies.wordLists.all().map {
                Entry(id: $0.id, category: $0.category.rawValue, term: $0.term, severity: $0.severity.rawValue, created_at: $0.createdAt)
            }))
        }
        routes.post("/api/v1/compliance/word-lists", .permission(.complianceManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let entry = try await addTerm(category: try input.string("category"), term: try input.string("term"), severity: try input.string("severity"), context: context, identity: identity)
            struct Entry: Encodable { var id: String; var category: String; var term: String; var severity: String; var created_at: Date }
            return try JSONOutput.response(Entry(id: entry.id, category: entry.category.rawValue, term: entry.term, severity: entry.severity.rawValue,
                                                 created_at: entry.createdAt), status: .created)
        }
        routes.delete("/api/v1/compliance/word-lists/{id}", .permission(.complianceManage)) { _, context, identity in
            try await removeTerm(context, identity)
            return JSONOutput.noContent()
        }
        routes.get("/api/v1/review-flows", .permission(.contentView)) { _, _ in
            struct Stage: Encodable { var name: String; var roles: [String]; var members: [String] }
            struct Flow: Encodable { var group_id: String?; var stages: [Stage] }
            var flows: [Flow] = []
            for (key, stages) in try await dependencies.content.definedFlows().sorted(by: { $0.key < $1.key }) {
                flows.append(Flow(group_id: key == "default" ? nil : key, stages: stages.map { Stage(name: $0.name, roles: $0.roleKeys, members: $0.memberIDs) }))
            }
            return try JSONOutput.response(ItemsDTO(items: flows))
        }
        routes.post("/api/v1/review-flows", .permission(.complianceManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            guard case .array(let values)? = input.object["stages"] else { throw ValidationError(field: "stages", code: "invalid_type", params: ["type": "array"]) }
            var stages: [ReviewStage] = []
            for (index, value) in values.enumerated() {
                guard case .object(let object) = value else { throw ValidationError(field: "stages.\(index)", code: "invalid_type", params: ["type": "object"]) }
                let stage = JSONInput(object: object)
                stages.append(ReviewStage(name: try stage.string("name") ?? "", roleKeys: try stage.strings("roles") ?? [], memberIDs: try stage.strings("members") ?? []))
            }
            let group = try input.string("group_id").flatMap { $0.isEmpty ? nil : $0 }
            try await dependencies.content.saveFlow(groupID: group, stages: stages, by: identity.principal)
            return JSONOutput.noContent()
        }

        // MARK: Pages
        routes.get(ContentPath.compliance, .permission(.contentView)) { request, context, identity in
            try await page(errors: FormErrors(), checkText: nil, flowGroup: request.query("flow_group"), request, context, identity)
        }
        routes.post(ContentPath.complianceCheck, .permission(.contentView)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            return try await page(errors: FormErrors(), checkText: form["text"] ?? "", checkPlatform: form["platform"], request, context, identity)
        }
        routes.post(ContentPath.complianceWords, .permission(.complianceManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await addTerm(category: form["category"], term: form["term"], severity: form["severity"], context: context, identity: identity)
                return pages.redirect(ContentPath.compliance.fragment("words"), flash: "flash.term_added")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await page(errors: refusal.errors, checkText: nil, request, context, identity, status: refusal.status)
            }
        }
        routes.post(ContentPath.complianceWordDelete(.key), .permission(.complianceManage)) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            try await removeTerm(context, identity)
            return pages.redirect(ContentPath.compliance.fragment("words"), flash: "flash.term_removed")
        }
        routes.post(ContentPath.complianceFlows, .permission(.complianceManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let group = form["group_id"].flatMap { $0.isEmpty ? nil : $0 }
            var stages: [ReviewStage] = []
            var posted: [ReviewStage] = []
            for index in 0..<Self.stageSlots {
                let name = (form["stage\(index)_name"] ?? "").trimmingCharacters(in: .whitespaces)
                let roles = form.all("stage\(index)_roles")
                posted.append(ReviewStage(name: name, roleKeys: roles, memberIDs: []))
                if name.isEmpty && roles.isEmpty { continue }
                stages.append(ReviewStage(name: name, roleKeys: roles, memberIDs: []))
            }
            do {
                guard !stages.isEmpty else { throw ValidationError(field: "stages.0.name", code: "required") }
                try await dependencies.content.saveFlow(groupID: group, stages: stages, by: identity.principal)
                return pages.redirect(ContentPath.compliance.query(["flow_group": group ?? ""]) + "#flows", flash: "flash.flow_saved")
            } catch {
                let refusal = try pages.refusal(error, context)
                // Errors name stages by their place among the filled-in ones; map back to the form's slots.
                var errors = refusal.errors
                let filled = posted.enumerated().filter { !$0.element.name.isEmpty || !$0.element.roleKeys.isEmpty }.map(\.offset)
                errors.remap { field in
                    let parts = field.split(separator: "_")
                    guard parts.count == 3, parts[0] == "stages", let index = Int(parts[1]), index < filled.count else { return field }
                    return "stages_\(filled[index])_\(parts[2])"
                }
                return try await page(errors: errors, checkText: nil, flowGroup: group, postedStages: posted, request, context, identity, status: refusal.status)
            }
        }
    }

    /// How many stages the page form offers (the service allows up to five).
    static let stageSlots = 3

    private func addTerm(category: String?, term: String?, severity: String?, context: AppRequestContext, identity: Identity) async throws -> WordListEntry {
        try await dependencies.wordLists.add(category: category, term: term, severity: severity, by: identity.principal)
    }

    private func removeTerm(_ context: AppRequestContext, _ identity: Identity) async throws {
        try await dependencies.wordLists.remove(id: context.parameters.get("id") ?? "", by: identity.principal)
    }

    // MARK: Page

    private func page(errors: FormErrors, checkText: String?, checkPlatform: String? = nil, flowGroup: String? = nil, postedStages: [ReviewStage]? = nil,
                      _ request: Request, _ context: AppRequestContext, _ identity: Identity, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let entries = try await dependencies.wordLists.all()
        let groups = WordListRepository.categories.map { category in
            let terms = entries.filter { $0.category == category }.map {
                Term(id: $0.id, deleteAction: ContentPath.complianceWordDelete(.value($0.id)).path, term: $0.term, severity: t.t("compliance.severity_\($0.severity.rawValue)"), blocking: $0.severity == .block)
            }
            return TermGroup(label: t.t("compliance.category_\(category.rawValue)"), terms: terms, hasTerms: !terms.isEmpty)
        }
        var findings: [FindingRow] = []
        var checkSummary = ""
        if let text = checkText {
            let platform = checkPlatform.flatMap(Platform.init(rawValue:))
            let result = try await dependencies.content.checker().check(text, platform: platform)
            findings = result.map {
                FindingRow(term: $0.term, category: t.t("compliance.category_\($0.category.rawValue)"), article: $0.article,
                           severity: t.t("compliance.severity_\($0.severity.rawValue)"), blocking: $0.severity == .block,
                           suggestion: t.locale == .zhHans ? $0.suggestionZh : $0.suggestionEn, position: "\($0.start)–\($0.end)")
            }
            let counts = ComplianceChecker.summary(result)
            checkSummary = t.t("compliance.check_summary", ["blocking": String(counts.blocking), "warnings": String(counts.warnings)])
        }
        let roles = try await dependencies.team.roles()
        let flows = try await dependencies.content.definedFlows()
        let groupNames = Dictionary(uniqueKeysWithValues: try await dependencies.team.groups().map { ($0.id, $0.name) })
        // The editor shows the chosen group's flow (its own, else the one it falls back to).
        let chosenGroup = flowGroup.flatMap { groupNames[$0] != nil ? $0 : nil }
        let stored = try await dependencies.content.flow(groupID: chosenGroup).stages
        let shown = postedStages ?? stored
        let model = CompliancePage(
            groups: groups,
            categories: WordListRepository.categories.map { SelectOption(value: $0.rawValue, label: t.t("compliance.category_\($0.rawValue)"), selected: false) },
            canManage: identity.permissions.contains(.complianceManage),
            errors: errors.messages, summary: errors.summary,
            checkText: checkText ?? "", checked: checkText != nil, findings: findings, checkSummary: checkSummary,
            platforms: [SelectOption(value: "", label: t.t("compliance.any_platform"), selected: (checkPlatform ?? "").isEmpty)]
                + Platform.allCases.map { SelectOption(value: $0.rawValue, label: t.platformName($0), selected: $0.rawValue == checkPlatform) },
            flowGroups: [SelectOption(value: "", label: t.t("compliance.default_flow"), selected: chosenGroup == nil)]
                + groupNames.sortedByName(\.value).map { SelectOption(value: $0.key, label: $0.value, selected: $0.key == chosenGroup) },
            stageForms: (0..<Self.stageSlots).map { index in
                let stage = index < shown.count ? shown[index] : nil
                return StageForm(index: index, number: index + 1, name: stage.map { postedStages == nil ? t.stageName($0) : $0.name } ?? "",
                                 roles: roles.map { RoleChoice(key: $0.key, name: t.roleName($0), checked: stage?.roleKeys.contains($0.key) ?? false) },
                                 nameError: errors.messages["stages_\(index)_name"], rolesError: errors.messages["stages_\(index)_roles"])
            },
            flows: flows.sorted { $0.key < $1.key }.map { key, stages in
                FlowRow(group: key == "default" ? t.t("compliance.default_flow") : (groupNames[key] ?? key),
                        stages: stages.map { stage in
                            FlowStage(name: t.stageName(stage), approvers: t.list(stage.roleKeys.compactMap { key in roles.first { $0.key == key }.map(t.roleName) }))
                        })
            },
            ruleCount: ComplianceChecker.builtinRuleCount)
        return pages.render(.compliance, title: t.t("compliance.title"), page: model, request: request, context: context, status: status)
    }
}
