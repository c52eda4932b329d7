/// The content room's routes: items and their review, topics, the calendar,
/// the library, compliance, assets and the notification inbox.
enum ContentRoutes {
    static func register(_ routes: Routes, _ dependencies: ContentDependencies, pages: PageSupport) {
        ContentController(dependencies: dependencies, pages: pages).register(routes)
        TopicsController(dependencies: dependencies, pages: pages).register(routes)
        CalendarController(dependencies: dependencies, pages: pages).register(routes)
        LibraryController(dependencies: dependencies, pages: pages).register(routes)
        ComplianceController(dependencies: dependencies, pages: pages).register(routes)
        NotificationsController(dependencies: dependencies, pages: pages).register(routes)
        AssetsController(dependencies: dependencies, pages: pages).register(routes)
    }
}
