import MediaOpsDomain

extension ConnectorRegistry {
    /// Every platform MediaOps publishes to by API. Platforms missing here
    /// (小红书, 视频号, 快手, 知乎, 头条, Instagram) are published with assistance.
    public static let standard = ConnectorRegistry([
        WebhookConnector(), MastodonConnector(), TelegramConnector(), WeChatOAConnector(),
        WeiboConnector(), DouyinConnector(), BilibiliConnector(),
        XConnector(), FacebookConnector(), LinkedInConnector(),
    ])
}
