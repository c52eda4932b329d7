/// The 数据 room's routes: dashboards, imports, the significance calculator, alerts and their rules.
enum AnalyticsRoutes {
    static func register(_ routes: Routes, _ dependencies: AnalyticsDependencies, pages: PageSupport) {
        ImportsController(dependencies: dependencies, pages: pages).register(routes)
        AnalyticsController(dependencies: dependencies, pages: pages).register(routes)
        SignificanceController(pages: pages).register(routes)
        AlertsController(dependencies: dependencies, pages: pages).register(routes)
        AlertRulesController(dependencies: dependencies, pages: pages).register(routes)
        FunnelsController(dependencies: dependencies, pages: pages).register(routes)
        InsightsController(dependencies: dependencies, pages: pages).register(routes)
        BestTimeController(dependencies: dependencies, pages: pages).register(routes)
        ReportsController(dependencies: dependencies, pages: pages).register(routes)
        CompetitorsController(dependencies: dependencies, pages: pages).register(routes)
    }
}
