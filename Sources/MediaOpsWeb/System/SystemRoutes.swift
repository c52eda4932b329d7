/// Probes, the API description, static files and the language switch.
enum SystemRoutes {
    static func register(_ routes: Routes, _ dependencies: SystemDependencies, openAPI: OpenAPIDocument, pages: PageSupport) {
        SystemController(dependencies: dependencies, openAPI: openAPI, pages: pages).register(routes)
    }
}
