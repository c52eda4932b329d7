import Foundation
import MediaOpsDomain

extension NotificationsController {
    struct Row { var title: String; var body: String; var link: String; var kind: String; var at: String; var unread: Bool }

    struct NotificationsPage { var rows: [Row]; var hasUnread: Bool }
}
