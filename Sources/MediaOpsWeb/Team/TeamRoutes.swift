/// The team room's routes: sign-in, home and search, members, roles,
/// accounts and groups, workspace settings and the member's own page.
enum TeamRoutes {
    static func register(_ routes: Routes, _ dependencies: TeamDependencies, pages: PageSupport) {
        AuthController(dependencies: dependencies, pages: pages).register(routes)
        HomeController(dependencies: dependencies, pages: pages).register(routes)
        MembersController(dependencies: dependencies, pages: pages).register(routes)
        RolesController(dependencies: dependencies, pages: pages).register(routes)
        AccountsController(dependencies: dependencies, pages: pages).register(routes)
        SettingsController(dependencies: dependencies, pages: pages).register(routes)
        MeController(dependencies: dependencies, pages: pages).register(routes)
    }
}
