import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The topic pool (选题库).
struct TopicsController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    var service: TopicService { dependencies.topics }
    func register(_ routes: Routes) {
        routes.get("/api/v1/topics", .permission(.contentView)) { request, _ in
            let page = try await service.list(filter: try filter(request), page: try request.pageRequest())
            return try JSONOutput.response(PageDTO(page, TopicDTO.init))
        }
        routes.post("/api/v1/topics", .permission(.contentWrite)) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            let topic = try await service.propose(try topicInput(input), by: identity.principal)
            return try JSONOutput.response(TopicDTO(topic), status: .created)
        }
        routes.get("/api/v1/topics/{id}", .permission(.contentView)) { _, context in
            try JSONOutput.response(TopicDTO(try await topic(context)))
        }
        routes.patch("/api/v1/topics/{id}", .permission(.contentWrite)) { request, context, identity in
            let id = try await topic(context).id
            let input = try await JSONInput.read(request, context: context)
            return try JSONOutput.response(TopicDTO(try await service.update(id: id, try topicInput(input), by: identity.principal)))
        }
        routes.post("/api/v1/topics/{id}/decision", .permission(.contentApprove)) { request, context, identity in
            let id = try await topic(context).id
            let input = try await JSONInput.read(request, context: context)
            return try JSONOutput.response(TopicDTO(try await service.decide(id: id, status: try status(try input.string("status")), by: identity.principal)))
        }
        routes.post("/api/v1/topics/{id}/vote", .contentContributor) { _, context, identity in
            let id = try await topic(context).id
            let result = try await service.toggleVote(id: id, by: identity.principal)
            struct Vote: Encodable { var voted: Bool; var votes: Int }
            return try JSONOutput.response(Vote(voted: result.voted, votes: result.votes))
        }
        routes.get("/api/v1/topics/{id}/comments", .permission(.contentView)) { _, context in
            let id = try await topic(context).id
            struct CommentDTO: Encodable { var id: String; var author_name: String; var body: String; var created_at: Date }
            return try JSONOutput.response(ItemsDTO(items: try await service.comments(topicID: id).map { CommentDTO(id: $0.id, author_name: $0.authorName, body: $0.body, created_at: $0.at) }))
        }
        routes.post("/api/v1/topics/{id}/comments", .contentContributor) { request, context, identity in
            let id = try await topic(context).id
            let input = try await JSONInput.read(request, context: context)
            let comment = try await service.comment(id: id, body: try input.string("body"), by: identity.principal)
            struct CommentDTO: Encodable { var id: String; var author_name: String; var body: String; var created_at: Date }
            return try JSONOutput.response(CommentDTO(id: comment.id, author_name: comment.authorName, body: comment.body, created_at: comment.at), status: .created)
        }
        routes.post("/api/v1/topics/{id}/convert", .permission(.contentWrite)) { _, context, identity in
            let item = try await service.convert(id: try await topic(context).id, by: identity.principal)
            return try JSONOutput.response(ContentItemDTO(item), status: .created)
        }

        // MARK: Pages
        routes.get(ContentPath.topics, .permission(.contentView)) { request, context, identity in
            try await listPage(values: ["source": "hot_topic", "priority": "normal", "category": "industry"], errors: FormErrors(), request, context, identity)
        }
        routes.post(ContentPath.topics, .permission(.contentWrite)) { request, context, identity in
            let form = try await pages.readForm(request, context: context)
            do {
                let topic = try await service.propose(.init(title: form["title"], source: form["source"], category: form["category"], priority: form["priority"],
                                                            ownerID: .some(form["owner_id"]), notes: form["notes"] ?? "", groups: form.all("groups")),
                                                      by: identity.principal)
                return pages.redirect(ContentPath.topic(.value(topic.id)), flash: "flash.topic_proposed")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await listPage(values: form.values.compactMapValues(\.first), errors: refusal.errors,
                                          request, context, identity, status: refusal.status)
            }
        }
        routes.get(ContentPath.topic(.key), .permission(.contentView)) { request, context, identity in
            try await detailPage(try await topic(context), errors: FormErrors(), request, context, identity)
        }
        routes.post(ContentPath.topicDecision(.key), .permission(.contentApprove)) { request, context, identity in
            let topic = try await topic(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(topic, request, context, identity) {
                _ = try await service.decide(id: topic.id, status: try status(form["status"]), by: identity.principal)
                return "flash.topic_decided"
            }
        }
        routes.post(ContentPath.topicVote(.key), .contentContributor) { request, context, identity in
            let topic = try await topic(context)
            _ = try await pages.readForm(request, context: context)
            _ = try await service.toggleVote(id: topic.id, by: identity.principal)
            return pages.redirect(ContentPath.topic(.value(topic.id)))
        }
        routes.post(ContentPath.topicComments(.key), .contentContributor) { request, context, identity in
            let topic = try await topic(context)
            let form = try await pages.readForm(request, context: context)
            return try await act(topic, request, context, identity) {
                _ = try await service.comment(id: topic.id, body: form["body"], by: identity.principal)
                return "flash.comment_added"
            }
        }
        routes.post(ContentPath.topicConvert(.key), .permission(.contentWrite)) { request, context, identity in
            let topic = try await topic(context)
            _ = try await pages.readForm(request, context: context)
            do {
                let item = try await service.convert(id: topic.id, by: identity.principal)
                return pages.redirect(ContentPath.item(.value(item.id)), flash: "flash.topic_converted")
            } catch {
                let refusal = try pages.refusal(error, context)
                return try await detailPage(topic, errors: refusal.errors, request, context, identity, status: refusal.status)
            }
        }
    }

    private func act(_ topic: Topic, _ request: Request, _ context: AppRequestContext, _ identity: Identity, _ change: () async throws -> String) async throws -> Response {
        do {
            return pages.redirect(ContentPath.topic(.value(topic.id)), flash: try await change())
        } catch {
            let refusal = try pages.refusal(error, context)
            return try await detailPage(try await service.find(id: topic.id) ?? topic, errors: refusal.errors,
                                        request, context, identity, status: refusal.status)
        }
    }

    private func topic(_ context: AppRequestContext) async throws -> Topic {
        guard let id = context.parameters.get("id"), Identifier.isPlausible(id), let topic = try await service.find(id: id) else { throw AppError.notFound }
        return topic
    }

    private func status(_ raw: String?) throws -> TopicStatus {
        guard let raw, !raw.isEmpty else { throw ValidationError(field: "status", code: "required") }
        guard let status = TopicStatus(rawValue: raw) else {
            throw ValidationError(field: "status", code: "invalid_choice", params: ["choices": "proposed, accepted, parked, rejected"])
        }
        return status
    }

    private func topicInput(_ input: JSONInput) throws -> TopicService.Input {
        TopicService.Input(title: try input.string("title"), source: try input.string("source"), category: try input.string("category"),
                           priority: try input.string("priority"), ownerID: try input.nullableString("owner_id"), notes: try input.string("notes"),
                           groups: try input.strings("groups"))
    }

    private func filter(_ request: Request) throws -> TopicFilter {
        var filter = TopicFilter(groupID: request.query("group"), ownerID: request.query("owner"), query: request.query("q"))
        if let raw = request.query("status") {
            guard let status = TopicStatus(rawValue: raw) else {
                throw ValidationError(field: "status", code: "invalid_choice", params: ["choices": TopicStatus.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.status = status
        }
        if let raw = request.query("source") {
            guard let source = TopicSource(rawValue: raw) else {
                throw ValidationError(field: "source", code: "invalid_choice", params: ["choices": TopicSource.allCases.map(\.rawValue).joined(separator: ", ")])
            }
            filter.source = source
        }
        return filter
    }

    private func rows(_ topics: [Topic], _ t: Localizer) async throws -> [Row] {
        let names = Dictionary(uniqueKeysWithValues: try await dependencies.team.members().map { ($0.id, $0.name) })
        let groups = Dictionary(uniqueKeysWithValues: try await dependencies.team.groups().map { ($0.id, $0.name) })
        return topics.map { topic in
            Row(id: topic.id, href: ContentPath.topic(.value(topic.id)).path, title: topic.title, source: t.t("topics.source_\(topic.source.rawValue)"),
                category: t.t("content.category_\(topic.category.rawValue)"), priority: t.t("topics.priority_\(topic.priority.key)"),
                priorityKey: topic.priority.key, status: t.t("topics.status_\(topic.status.rawValue)"), statusKey: topic.status.rawValue,
                owner: topic.ownerID.flatMap { names[$0] } ?? "—", votes: topic.votes, groups: topic.groupIDs.compactMap { groups[$0] })
        }
    }

    private func listPage(values: [String: String], errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let filter = try filter(request)
        let page = try await service.list(filter: filter, page: try request.pageRequest(defaultPerPage: 25))
        let selectedStatus = request.query("status") ?? ""
        let selectedSource = request.query("source") ?? ""
        let checkedGroups = Set((values["groups"] ?? "").split(separator: ",").map(String.init))
        let model = ListPage(
            rows: try await rows(page.items, t),
            statuses: [SelectOption(value: "", label: t.t("topics.all_statuses"), selected: selectedStatus.isEmpty)]
                + TopicStatus.allCases.map { SelectOption(value: $0.rawValue, label: t.t("topics.status_\($0.rawValue)"), selected: $0.rawValue == selectedStatus) },
            sources: [SelectOption(value: "", label: t.t("topics.all_sources"), selected: selectedSource.isEmpty)]
                + TopicSource.allCases.map { SelectOption(value: $0.rawValue, label: t.t("topics.source_\($0.rawValue)"), selected: $0.rawValue == selectedSource) },
            query: request.query("q") ?? "",
            pagination: Pagination(request, page: page, localizer: t),
            canPropose: identity.permissions.contains(.contentWrite),
            values: values, errors: errors.messages, summary: errors.summary,
            formSources: TopicSource.allCases.map { SelectOption(value: $0.rawValue, label: t.t("topics.source_\($0.rawValue)"), selected: $0.rawValue == values["source"]) },
            formCategories: ContentCategory.allCases.map { SelectOption(value: $0.rawValue, label: t.t("content.category_\($0.rawValue)"), selected: $0.rawValue == values["category"]) },
            formPriorities: TopicPriority.allCases.map { SelectOption(value: $0.key, label: t.t("topics.priority_\($0.key)"), selected: $0.key == values["priority"]) },
            formOwners: try await dependencies.team.members().filter(\.isActive).map {
                SelectOption(value: $0.id, label: $0.name, selected: $0.id == (values["owner_id"] ?? identity.member.id))
            },
            formGroups: try await dependencies.team.groups().map { SelectOption(value: $0.id, label: $0.name, selected: checkedGroups.contains($0.id)) },
            filtered: filter != TopicFilter())
        return pages.render(.topics, title: t.t("topics.title"), page: model, request: request, context: context, status: status)
    }

    private func detailPage(_ topic: Topic, errors: FormErrors, _ request: Request, _ context: AppRequestContext, _ identity: Identity,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = pages.localizer(context)
        let decisions = TopicStatus.allCases.filter { $0 != .converted && Topic.canMove(from: topic.status, to: $0) }
        let model = DetailPage(
            topic: try await rows([topic], t)[0], notes: topic.notes, contentHref: topic.contentID.map { ContentPath.item(.value($0)).path },
            voteAction: ContentPath.topicVote(.value(topic.id)).path, convertAction: ContentPath.topicConvert(.value(topic.id)).path,
            decisionAction: ContentPath.topicDecision(.value(topic.id)).path, commentsAction: ContentPath.topicComments(.value(topic.id)).path,
            errors: errors.messages, summary: errors.summary,
            comments: try await service.comments(topicID: topic.id).map { CommentRow(author: $0.authorName, at: t.dateTime($0.at), body: $0.body) },
            voted: try await service.hasVoted(topicID: topic.id, memberID: identity.member.id),
            canDecide: identity.permissions.contains(.contentApprove) && !decisions.isEmpty,
            canConvert: identity.permissions.contains(.contentWrite) && topic.status == .accepted,
            canContribute: Access.contentContributor.admits(identity.permissions),
            decisions: decisions.map { SelectOption(value: $0.rawValue, label: t.t("topics.decide_\($0.rawValue)"), selected: false) },
            created: t.dateTime(topic.createdAt))
        return pages.render(.topicDetail, title: topic.title, page: model, request: request, context: context, status: status)
    }
}
