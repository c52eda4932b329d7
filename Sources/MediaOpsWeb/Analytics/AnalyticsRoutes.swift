/// The 数据 room's routes: dashboards, imports and the significance calculator.
enum AnalyticsRoutes {
    static func register(_ routes: Routes, _ dependencies: AnalyticsDependencies, pages: PageSupport) {
        ImportsController(dependencies: dependencies, pages: pages).register(routes)
        AnalyticsController(dependencies: dependencies, pages: pages).register(routes)
        SignificanceController(pages: pages).register(routes)
        ReportsController(dependencies: dependencies, pages: pages).register(routes)
    }
}
