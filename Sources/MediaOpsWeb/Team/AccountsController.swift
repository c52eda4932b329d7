import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The account matrix: accounts on every platform, grouped by brand or product line.
struct AccountsController {
    let dependencies: TeamDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        // MARK: API
        routes.get("/api/v1/platforms", .permission(.accountsView)) { _, context in
            let t = pages.localizer(context)
            return try JSONOutput.response(ItemsDTO(items: Platform.allCases.map { PlatformDTO($0, localizer: t) }))
        }
        routes.get("/api/v1/accounts", .permission(.accountsView)) { request, _ in
            let (sort, descending) = try request.sort(AccountSort.self, default: .name)
            let page = try await dependencies.team.accounts(filter: try filter(request), sort: sort, descending: descending, page: try request.pageRequest())
            let groups = try await groupIndex()
            return try JSONOutput.response(PageDTO(page) { AccountDTO($0, groups: groups) })
        }
        routes.post("/api/v1/accounts", .permission(.accountsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let account = try await dependencies.team.createAccount(try checkedDestinations(try accountInput(input)), by: identity.principal)
            return try JSONOutput.response(AccountDTO(account, groups: try await groupIndex()), status: .created)
        }
        routes.get("/api/v1/accounts/{id}", .permission(.accountsView)) { _, context in
            try JSONOutput.response(AccountDTO(try await account(context), groups: try await groupIndex()))
        }
        routes.patch("/api/v1/accounts/{id}", .permission(.accountsManage)) { request, context, identity in
            let id = try await account(context).id
            let input = try await JSONInput.read(request, context: context)
            let updated = try await dependencies.team.updateAccount(id: id, try checkedDestinations(try accountInput(input)), by: identity.principal)
            return try JSONOutput.response(AccountDTO(updated, groups: try await groupIndex()))
        }
        routes.delete("/api/v1/accounts/{id}", .permission(.accountsManage)) { _, context, identity in
            let retired = try await dependencies.team.retireAccount(id: try await account(context).id, by: identity.principal)
            return try JSONOutput.response(AccountDTO(retired, groups: try await groupIndex()))
        }
        routes.get("/api/v1/account-groups", .permission(.accountsView)) { _, _ in
            let counts = try await dependencies.team.groupAccountCounts()
            return try JSONOutput.response(ItemsDTO(items: try await dependencies.team.groups().map { AccountGroupDTO($0, count: counts[$0.id] ?? 0) }))
        }
        routes.post("/api/v1/account-groups", .permission(.accountsManage)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let group = try await dependencies.team.createGroup(name: try input.string("name"), description: try input.string("description"), by: identity.principal)
            return try JSONOutput.response(AccountGroupDTO(group, count: 0), status: .created)
        }
        routes.get("/api/v1/account-groups/{id}", .permission(.accountsView)) { _, context in
            let group = try await group(context)
            return try JSONOutput.response(AccountGroupDTO(group, count: try await dependencies.team.groupAccountCounts()[group.id] ?? 0))
        }
        routes.patch("/api/v1/account-groups/{id}", .permission(.accountsManage)) { request, context, identity in
            let id = try await group(context).id
            let input = try await JSONInput.read(request, context: context)
            let group = try await dependencies.team.updateGroup(id: id, name: try input.string("name"), description: try input.string("description"), by: identity.principal)
            return try JSONOutput.response(AccountGroupDTO(group, count: try await dependencies.team.groupAccountCounts()[group.id] ?? 0))
        }
        routes.delete("/api/v1/account-groups/{id}", .permission(.accountsManage)) { _, context, identity in
            try await dependencies.team.deleteGroup(id: try await group(context).id, by: identity.principal)
            return JSONOutput.noContent()
        }

        // MARK: Pages
        routes.get(TeamPath.accounts, .permission(.accountsView)) { request, context, identity in try await listPage(request, context, identity) }
        routes.get(TeamPath.accountNew, .permission(.accountsManage)) { request, context, identity in
            let platform = request.query("platform").flatMap(Platform.init(rawValue:)) ?? .wechatOA
            return try await formPage(account: nil, values: ["platform": platform.rawValue, "kind": platform.kinds.first ?? ""], groups: [], errors: FormErrors(), request, context, identity)
        }
        routes.post(TeamPath.accounts, .permission(.accountsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            let input = formInput(form, creating: true)
            do {
                let account = try await dependencies.team.createAccount(try checkedDestinations(input), by: identity.principal)
                return pages.redirect(TeamPath.account(.value(account.id)), flash: "flash.account_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await formPage(account: nil, values: visibleValues(form), groups: Set(form.all("groups")),
                                          errors: refusal.errors, request, context, identity, status: refusal.status)
            }
        }
        routes.get(TeamPath.groups, .permission(.accountsView)) { request, context, identity in
            try await groupsPage(errors: FormErrors(), values: [:], request, context, identity)
        }
        routes.post(TeamPath.groups, .permission(.accountsManage)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await dependencies.team.createGroup(name: form["name"], description: form["description"], by: identity.principal)
                return pages.redirect(TeamPath.groups, flash: "flash.group_created")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await groupsPage(errors: refusal.errors, values: form.values.compactMapValues(\.first),
                                            request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.group(.key), .permission(.accountsManage)) { request, context, identity in
            let group = try await group(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await dependencies.team.updateGroup(id: group.id, name: form["name"], description: form["description"], by: identity.principal)
                return pages.redirect(TeamPath.groups, flash: "flash.group_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await groupsPage(errors: refusal.errors, values: [:], request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.groupDelete(.key), .permission(.accountsManage)) { request, context, identity in
            let group = try await group(context)
            _ = try await pages.readForm(request, context: context)
            try await dependencies.team.deleteGroup(id: group.id, by: identity.principal)
            return pages.redirect(TeamPath.groups, flash: "flash.group_deleted")
        }
        routes.get(TeamPath.account(.key), .permission(.accountsView)) { request, context, identity in
            let account = try await account(context)
            return try await formPage(account: account, values: values(of: account), groups: Set(account.groupIDs), errors: FormErrors(), request, context, identity)
        }
        routes.post(TeamPath.account(.key), .permission(.accountsManage)) { request, context, identity in
            let account = try await account(context)
            let form = try await pages.readForm(request, context: context)
            do {
                _ = try await dependencies.team.updateAccount(id: account.id, try checkedDestinations(formInput(form, creating: false)), by: identity.principal)
                return pages.redirect(TeamPath.account(.value(account.id)), flash: "flash.account_updated")
            } catch {
                let refusal = try pages.refusal(error, context)
                var values = visibleValues(form)
                values["platform"] = account.platform.rawValue
                return try await formPage(account: account, values: values, groups: Set(form.all("groups")),
                                          errors: refusal.errors, request, context, identity, status: refusal.status)
            }
        }
        routes.post(TeamPath.accountRetire(.key), .permission(.accountsManage)) { request, context, identity in
            let account = try await account(context)
            _ = try await pages.readForm(request, context: context)
            _ = try await dependencies.team.retireAccount(id: account.id, by: identity.principal)
            return pages.redirect(TeamPath.account(.value(account.id)), flash: "flash.account_retired")
        }
    }

    // MARK: Input

    /// Addresses MediaOps will dial (a webhook account's URL, a Mastodon instance)
    /// pass the outbound policy when saved, so a refusal is said at once and
    /// beside its field, not at the first publish. The dial checks again.
    private func checkedDestinations(_ input: TeamService.AccountInput) throws -> TeamService.AccountInput {
        guard let platform = input.platform.flatMap(Platform.init(rawValue:)) else { return input }
        for field in platform.fields where field.isURL {
            if let value = input.fields?[field.key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty,
               let refusal = dependencies.outbound.policy.refusalOnSave(for: value) {
                throw ValidationError(field: "fields.\(field.key)", code: refusal)
            }
        }
        return input
    }

    private func accountInput(_ input: JSONInput) throws -> TeamService.AccountInput {
        TeamService.AccountInput(platform: try input.string("platform"), name: try input.string("name"), handle: try input.string("handle"),
                                 kind: try input.string("kind"), fields: try input.stringMap("fields"), groups: try input.strings("groups"),
                                 ownerID: try input.nullableString("owner_id"), state: try input.string("state"), credentials: try input.stringMap("credentials"),
                                 bestTime: try input.string("best_time"))
    }

    /// Form fields are named `field_<key>` and `secret_<key>`; only the chosen platform's are read.
    private func formInput(_ form: FormData, creating: Bool) -> TeamService.AccountInput {
        let platform = form["platform"].flatMap(Platform.init(rawValue:))
        var fields: [String: String] = [:]
        var secrets: [String: String] = [:]
        for field in platform?.fields ?? [] { fields[field.key] = form["\(platform!.rawValue)__field_\(field.key)"] ?? "" }
        for key in platform?.secretFields ?? [] {
            let value = form["\(platform!.rawValue)__secret_\(key)"] ?? ""
            // A blank secret box on an edit form means "keep", unless "clear" is ticked.
            if !value.isEmpty { secrets[key] = value } else if form.has("clear_\(key)") { secrets[key] = "" }
        }
        return TeamService.AccountInput(
            platform: form["platform"], name: form["name"] ?? "", handle: form["handle"] ?? "",
            kind: platform?.kinds.isEmpty == false ? form["kind"] : nil,
            fields: fields, groups: form.all("groups") + (form["new_group"].map { [$0] } ?? []),
            ownerID: .some(form["owner_id"]), state: creating ? nil : form["state"], credentials: secrets, bestTime: form["best_time"])
    }

    private func visibleValues(_ form: FormData) -> [String: String] {
        // Secrets are never echoed back into a page.
        form.values.compactMapValues(\.first).filter { !$0.key.contains("__secret_") }
    }

    private func values(of account: Account) -> [String: String] {
        var values = ["platform": account.platform.rawValue, "name": account.name, "handle": account.handle, "kind": account.kind ?? "",
                      "owner_id": account.ownerID ?? "", "state": account.state.rawValue, "best_time": account.bestTime ?? ""]
        for (key, value) in account.fields { values["\(account.platform.rawValue)__field_\(key)"] = value }
        return values
    }

    private func account(_ context: AppRequestContext) async throws -> Account {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let account = try await dependencies.team.account(id: id) else {
            throw AppError.notFound
        }
        return account
    }

    private func group(_ context: AppRequestContext) async throws -> AccountGroup {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let group = try await dependencies.team.group(id: id) else {
            throw AppError.notFound
        }
        return group
    }

    private func groupIndex() async throws -> [String: AccountGroup] {
        Dictionary(uniqueKeysWithValues: try await dependencies.team.groups().map { ($0.id, $0) })
    }

    private func filter(_ request: Request) throws -> AccountFilter {
        var filter = AccountFilter(groupID: request.query("group"), ownerID: request.query("owner"), query: request.query("q"))
        if let raw = request.query("platform") {
            guard let platform = Platform(rawValue: raw) else {
                throw ValidationError(field: "platform", code: "invalid_choice", params: ["choices": Platform.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.platform = platform
        }
        if let raw = request.query("state") {
            guard let state = AccountState(rawValue: raw) else {
                throw ValidationError(field: "state", code: "invalid_choice", params: ["choices": AccountState.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.state = state
        }
        filter.includeRetired = try request.boolQuery("include_retired") ?? false
        return filter
    }

    private func capabilityChips(_ platform: Platform, _ t: Localizer) -> [Chip] {
        platform.capabilities.names.map { Chip(label: t.t("capability.\($0)"), key: $0) }
    }

    /// The account's own capabilities: API publishing only when it holds what the
    /// API needs, otherwise "人工发布" with what is missing — as scheduling will do.
    private func capabilityChips(_ account: Account, _ t: Localizer) -> [Chip] {
        let missing = account.missingForPublishing
        guard !missing.isEmpty else { return capabilityChips(account.platform, t) }
        let names = t.list(missing.map(t.fieldLabel))
        return [Chip(label: t.t("capability.assisted_missing", ["missing": names]), key: "assisted_only")]
            + capabilityChips(account.platform, t).filter { $0.key != "publish_api" }
    }

    private func listPage(_ request: Request, _ context: AppRequestContext, _ identity: Identity) async throws -> Response {
        let t = pages.localizer(context)
        let filter = try filter(request)
        let (sort, descending) = try request.sort(AccountSort.self, default: .name)
        let page = try await dependencies.team.accounts(filter: filter, sort: sort, descending: descending, page: try request.pageRequest(defaultPerPage: 25))
        let groups = try await groupIndex()
        let members = try await dependencies.team.members()
        let memberNames = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0.name) })
        let rows = page.items.map { account in
            AccountRow(id: account.id, href: TeamPath.account(.value(account.id)).path, name: account.name, handle: account.handle, platform: t.platformShortName(account.platform),
                       platformKey: account.platform.rawValue, kind: account.kind.map { t.t("account.kind_\($0)") },
                       groups: account.groupIDs.compactMap { groups[$0]?.name }, owner: account.ownerID.flatMap { memberNames[$0] },
                       state: t.t("account.state_\(account.state.rawValue)"), stateKey: account.state.rawValue,
                       capabilities: capabilityChips(account, t))
        }
        let option = SelectOption.init
        let model = ListPage(
            rows: rows, query: request.query("q") ?? "",
            platformOptions: [option("", t.t("accounts.all_platforms"), filter.platform == nil)]
                + Platform.allCases.map { option($0.rawValue, t.platformName($0), $0 == filter.platform) },
            groupOptions: [option("", t.t("accounts.all_groups"), filter.groupID == nil)]
                + groups.values.sortedByName(\.name).map { option($0.id, $0.name, $0.id == filter.groupID) },
            stateOptions: [option("", t.t("accounts.all_states"), filter.state == nil)]
                + AccountState.allCases.map { option($0.rawValue, t.t("account.state_\($0.rawValue)"), $0 == filter.state) },
            ownerOptions: [option("", t.t("accounts.all_owners"), filter.ownerID == nil)]
                + members.filter(\.isActive).map { option($0.id, $0.name, $0.id == filter.ownerID) },
            sort: Pagination.sortLinks(request, keys: AccountSort.allCases.map(\.rawValue), current: sort.rawValue, descending: descending),
            pagination: Pagination(request, page: page, localizer: t),
            canManage: identity.permissions.contains(.accountsManage),
            filtered: filter != AccountFilter(),
            total: page.total
        )
        return pages.render(.accounts, title: t.t("accounts.title"), page: model, request: request, context: context)
    }

    private func formPage(account: Account?, values: [String: String], groups checked: Set<String>, errors: FormErrors,
                          _ request: Request, _ context: AppRequestContext, _ identity: Identity, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let selected = account?.platform ?? values["platform"].flatMap(Platform.init(rawValue:)) ?? .wechatOA
        let platforms = (account.map { [$0.platform] } ?? Platform.allCases).map { platform in
            let prefix = platform.rawValue
            return PlatformSection(
                key: prefix, label: t.platformName(platform), selected: platform == selected,
                capabilities: account.map { capabilityChips($0, t) } ?? capabilityChips(platform, t),
                kinds: platform.kinds.map { SelectOption(value: $0, label: t.t("account.kind_\($0)"), selected: $0 == (values["kind"] ?? platform.kinds.first)) },
                hasKinds: !platform.kinds.isEmpty,
                fields: platform.fields.map { field in
                    FieldInput(name: "\(prefix)__field_\(field.key)", label: t.fieldLabel("fields.\(field.key)"), value: values["\(prefix)__field_\(field.key)"] ?? "",
                               required: field.required, isURL: field.isURL, error: platform == selected ? errors.messages["fields_\(field.key)"] : nil,
                               help: t.t("account.help_\(prefix)_\(field.key)"))
                },
                secrets: platform.secretFields.map { key in
                    SecretInput(name: "\(prefix)__secret_\(key)", key: key, label: t.fieldLabel("credentials.\(key)"),
                                isSet: account?.credentialKeys.contains(key) ?? false,
                                error: platform == selected ? errors.messages["credentials_\(key)"] : nil)
                },
                hasAny: !platform.fields.isEmpty || !platform.secretFields.isEmpty || !platform.kinds.isEmpty,
                assisted: platform.capabilities.contains(.assistedOnly)
            )
        }
        let allGroups = try await dependencies.team.groups()
        let owner = values["owner_id"] ?? ""
        let members = try await dependencies.team.members().filter { $0.isActive || $0.id == owner }
        let history = account != nil && identity.permissions.contains(.auditView)
            ? try await dependencies.team.auditLog(AuditFilter(entityType: AuditEntity.account.rawValue, entityID: account!.id), page: PageRequest(page: 1, perPage: 10)).items
            : []
        let auditLabels = try await AuditLabels.load(t, team: dependencies.team)
        let model = FormPage(
            isNew: account == nil, id: account?.id,
            action: account.map { TeamPath.account(.value($0.id)).path } ?? TeamPath.accounts.path,
            healthHref: account.map { PublishingPath.health.fragment($0.id) },
            retireAction: account.map { TeamPath.accountRetire(.value($0.id)).path },
            values: values, errors: errors.messages, summary: errors.summary,
            platforms: platforms, currentPlatform: t.platformName(selected),
            groups: allGroups.map { GroupOption(id: $0.id, name: $0.name, checked: checked.contains($0.id)) },
            owners: [SelectOption(value: "", label: t.t("accounts.no_owner"), selected: owner.isEmpty)]
                + members.map { SelectOption(value: $0.id, label: "\($0.name) · \($0.email)", selected: $0.id == owner) },
            states: AccountState.allCases.map { SelectOption(value: $0.rawValue, label: t.t("account.state_\($0.rawValue)"), selected: $0.rawValue == (values["state"] ?? "active")) },
            editable: identity.permissions.contains(.accountsManage),
            retired: account?.state == .retired,
            history: history.map { AuditRow($0, labels: auditLabels) },
            showHistory: account != nil && identity.permissions.contains(.auditView),
            defaultBestTime: PostingTimes.format(PostingTimes.defaultTime(for: selected))
        )
        let title = account?.name ?? t.t("accounts.new_title")
        return pages.render(.accountForm, title: title, page: model, request: request, context: context, status: status)
    }

    private func groupsPage(errors: FormErrors, values: [String: String], _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let counts = try await dependencies.team.groupAccountCounts()
        let rows = try await dependencies.team.groups().map { GroupRow($0, count: counts[$0.id] ?? 0) }
        let model = GroupsPage(rows: rows, values: values, errors: errors.messages, summary: errors.summary,
                               canManage: identity.permissions.contains(.accountsManage))
        return pages.render(.groups, title: t.t("groups.title"), page: model, request: request, context: context, status: status)
    }
}
