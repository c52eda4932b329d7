import Foundation

/// A finished task as the KPI engine needs it. The tasks room (built on
/// another branch) supplies these through `TaskCompletionSource`.
public struct TaskCompletion: Sendable, Equatable {
    public var taskID: String
    public var title: String
    public var dueAt: Date
    public var completedAt: Date

    public init(taskID: String, title: String, dueAt: Date, completedAt: Date) {
        self.taskID = taskID
        self.title = title
        self.dueAt = dueAt
        self.completedAt = completedAt
    }
}

/// What the KPI engine asks the tasks room: the member's tasks with a due time
/// that were completed in [from, to). Until an installation passes one to the
/// scorecard service, "tasks done on time" shows as not available, never as zero.
public protocol TaskCompletionSource: Sendable {
    func completions(assignee memberID: String, from: Date, to: Date) async throws -> [TaskCompletion]
}
