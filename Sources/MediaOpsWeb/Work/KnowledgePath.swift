/// Every page and form target of the knowledge base (经验沉淀).
enum KnowledgePath: PagePath {
    case list
    case new
    case entry(PathParameter<String>)
    case entryEdit(PathParameter<String>)
    case entryDelete(PathParameter<String>)
    case entryVersions(PathParameter<String>)
    case entryLinks(PathParameter<String>)
    case entryUnlink(PathParameter<String>)
    case entryUseTemplate(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name (`{{paths.knowledge.list}}`).
    static let plain: [KnowledgePath] = [.list, .new]

    var path: String {
        switch self {
        case .list: "/knowledge"
        case .new: "/knowledge/new"
        case .entry(let id): "/knowledge/" + PathSegment.of(id, "id")
        case .entryEdit(let id): KnowledgePath.entry(id).path + "/edit"
        case .entryDelete(let id): KnowledgePath.entry(id).path + "/delete"
        case .entryVersions(let id): KnowledgePath.entry(id).path + "/versions"
        case .entryLinks(let id): KnowledgePath.entry(id).path + "/links"
        case .entryUnlink(let id): KnowledgePath.entry(id).path + "/links/delete"
        case .entryUseTemplate(let id): KnowledgePath.entry(id).path + "/use"
        }
    }
}

/// Every page and form target of training records and assessment standards, in the 团队 room.
enum TrainingPath: PagePath {
    case overview
    case new
    case member(PathParameter<String>)
    case record(PathParameter<String>)
    case recordDelete(PathParameter<String>)
    case standards
    case standard(PathParameter<String>)
    case standardReset(PathParameter<String>)

    static let plain: [TrainingPath] = [.overview, .new, .standards]

    var path: String {
        switch self {
        case .overview: "/team/training"
        case .new: "/team/training/new"
        case .member(let id): "/team/training/members/" + PathSegment.of(id, "id")
        case .record(let id): "/team/training/records/" + PathSegment.of(id, "id")
        case .recordDelete(let id): TrainingPath.record(id).path + "/delete"
        case .standards: "/team/training/standards"
        case .standard(let role): "/team/training/standards/" + PathSegment.of(role, "role")
        case .standardReset(let role): TrainingPath.standard(role).path + "/reset"
        }
    }
}
