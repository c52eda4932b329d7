/// The 数据 room's routes: dashboards and imports.
enum AnalyticsRoutes {
    static func register(_ routes: Routes, _ dependencies: AnalyticsDependencies, pages: PageSupport) {
        ImportsController(dependencies: dependencies, pages: pages).register(routes)
        AnalyticsController(dependencies: dependencies, pages: pages).register(routes)
    }
}
