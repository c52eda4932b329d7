import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore

/// The notification centre: mentions, review requests and decisions.
struct NotificationsController {
    let dependencies: ContentDependencies
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.get("/api/v1/notifications", .signedIn) { request, context, identity in
            let unread = try request.boolQuery("unread") ?? false
            return try JSONOutput.response(ItemsDTO(items: try await dependencies.inbox.list(userID: identity.member.id, unreadOnly: unread)
                .map(NotificationDTO.init)))
        }
        routes.post("/api/v1/notifications/read", .signedIn) { request, context, identity in
            let input = try await JSONInput.read(request, context: context)
            try await dependencies.inbox.markRead(userID: identity.member.id, id: try input.string("id"))
            return JSONOutput.noContent()
        }
        routes.get(ContentPath.notifications, .signedIn) { request, context, identity in
            let t = pages.localizer(context)
            let items = try await dependencies.inbox.list(userID: identity.member.id, limit: 100)
            let model = NotificationsPage(rows: items.map {
                Row(title: $0.title, body: Self.body($0, t), link: $0.link, kind: t.t("notifications.kind_\($0.kind)"), at: t.dateTime($0.createdAt), unread: $0.readAt == nil)
            }, hasUnread: items.contains { $0.readAt == nil })
            return pages.render(.notifications, title: t.t("notifications.title"), page: model, request: request, context: context)
        }
        routes.post(ContentPath.notificationsRead, .signedIn) { request, context, identity in
            _ = try await pages.readForm(request, context: context)
            try await dependencies.inbox.markRead(userID: identity.member.id)
            return pages.redirect(ContentPath.notifications, flash: "flash.notifications_read")
        }
    }

    /// The stored text, with the code behind it said as a sentence ("青禾茶饮服务号 · 平台限流，稍后会自动重试").
    static func body(_ notification: AppNotification, _ t: Localizer) -> String {
        guard let detail = notification.detail, !detail.isEmpty else { return notification.body }
        let reason = FailureReasons.sentence(detail, t)
        return notification.body.isEmpty ? reason : notification.body + " · " + reason
    }
}
