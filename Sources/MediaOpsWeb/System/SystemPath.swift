/// The system room's paths: probes, the API description, static files and the
/// language switch.
enum SystemPath: PagePath {
    case health
    case metrics
    case openAPI
    case staticFile(PathParameter<String>)
    case language

    /// The paths without parameters, which templates reach by case name
    /// (`{{paths.system.health}}`); the paths with parameters come in the page model.
    static let plain: [SystemPath] = [.health, .metrics, .openAPI, .language]

    var path: String {
        switch self {
        case .health: "/health"
        case .metrics: "/metrics"
        case .openAPI: "/openapi.json"
        case .staticFile(let name): "/static/" + PathSegment.of(name, "name")
        case .language: "/lang"
        }
    }
}
