/// What the shared frame of every page needs.
public struct LayoutModel: Sendable {
    public struct NavItem: Sendable {
        public var label: String
        public var href: String
        public var active: Bool
        /// A room whose page is open: shown expanded, not highlighted.
        public var open: Bool
        public var children: [NavItem]
        /// Stored, not computed: templates read values through reflection.
        public var hasSubnav: Bool
    }

    public struct UserChip: Sendable {
        public var name: String
        public var email: String
        public var initial: String
    }

    public var title: String
    public var htmlLang: String
    public var workspaceName: String
    public var user: UserChip?
    public var nav: [NavItem]
    public var csrf: String
    public var flash: String?
    public var switchLocale: String
    public var switchLocaleLabel: String
    public var currentPath: String
    public var searchQuery: String
    /// Unread count as text, nil when there is none (so templates can test for it).
    public var unread: String?
    /// Set while publishing is paused (the reason given).
    public var freezeReason: String?
    /// The server's body limit, so the page can stop an oversized form before
    /// it is sent (and what was typed stays in the editor).
    public var maxBodyBytes: Int
    public var tooLargeMessage: String
}
