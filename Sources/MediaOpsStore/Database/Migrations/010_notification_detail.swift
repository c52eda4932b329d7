extension Migrations {
    /// In-app notifications keep the code behind their text (a failure reason)
    /// apart from it, so the page says it as a sentence in the reader's language.
    static let m010_notification_detail = Migration(version: 10, name: "notification detail codes", statements: [
        "ALTER TABLE notifications ADD COLUMN detail TEXT",
    ])
}
