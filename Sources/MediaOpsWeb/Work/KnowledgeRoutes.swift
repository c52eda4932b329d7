/// The knowledge base's routes (/knowledge…, /api/v1/knowledge…) and training's
/// (/team/training…, /api/v1/training…).
enum KnowledgeRoutes {
    static func register(_ routes: Routes, _ dependencies: KnowledgeDependencies, pages: PageSupport) {
        KnowledgeController(dependencies: dependencies, pages: pages).register(routes)
        TrainingController(dependencies: dependencies, pages: pages).register(routes)
    }
}
