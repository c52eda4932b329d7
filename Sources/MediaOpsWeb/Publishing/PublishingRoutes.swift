/// The publishing room's routes: the queue and its targets, account health
/// with the WeChat callback, and notification channels.
enum PublishingRoutes {
    static func register(_ routes: Routes, _ dependencies: PublishingDependencies, pages: PageSupport) {
        NotificationChannelsController(dependencies: dependencies, pages: pages).register(routes)
        PublishingController(dependencies: dependencies, pages: pages).register(routes)
        AccountHealthController(dependencies: dependencies, pages: pages).register(routes)
    }
}
