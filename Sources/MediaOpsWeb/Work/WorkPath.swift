/// Every page and form target of the 任务 room.
enum WorkPath: PagePath {
    case list
    case board
    case new
    case bulk
    case task(PathParameter<String>)
    case edit(PathParameter<String>)
    case delete(PathParameter<String>)
    case status(PathParameter<String>)
    case checklist(PathParameter<String>)
    case checklistToggle(PathParameter<String>)
    case checklistDelete(PathParameter<String>)
    case comments(PathParameter<String>)
    case attachments(PathParameter<String>)
    case attachmentDelete(PathParameter<String>)
    case recurring
    case recurringNew
    case recurringRule(PathParameter<String>)
    case recurringDelete(PathParameter<String>)

    /// The paths without parameters, which templates reach by case name (`{{paths.work.board}}`).
    static let plain: [WorkPath] = [.list, .board, .new, .bulk, .recurring, .recurringNew]

    var path: String {
        switch self {
        case .list: "/tasks"
        case .board: "/tasks/board"
        case .new: "/tasks/new"
        case .bulk: "/tasks/bulk"
        case .task(let id): "/tasks/" + PathSegment.of(id, "id")
        case .edit(let id): WorkPath.task(id).path + "/edit"
        case .delete(let id): WorkPath.task(id).path + "/delete"
        case .status(let id): WorkPath.task(id).path + "/status"
        case .checklist(let id): WorkPath.task(id).path + "/checklist"
        case .checklistToggle(let id): WorkPath.task(id).path + "/checklist/toggle"
        case .checklistDelete(let id): WorkPath.task(id).path + "/checklist/delete"
        case .comments(let id): WorkPath.task(id).path + "/comments"
        case .attachments(let id): WorkPath.task(id).path + "/attachments"
        case .attachmentDelete(let id): WorkPath.task(id).path + "/attachments/delete"
        case .recurring: "/tasks/recurring"
        case .recurringNew: "/tasks/recurring/new"
        case .recurringRule(let id): "/tasks/recurring/" + PathSegment.of(id, "id")
        case .recurringDelete(let id): WorkPath.recurringRule(id).path + "/delete"
        }
    }
}
