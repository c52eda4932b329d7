import Foundation
import MediaOpsDomain

/// The tasks room answers the KPI room's question: which of a member's tasks
/// with a due time were completed in a period, and when. Tasks without a due
/// time cannot be late or on time, so "tasks done on time" leaves them out.
extension TaskService: TaskCompletionSource {
    public func completions(assignee memberID: String, from: Date, to: Date) async throws -> [TaskCompletion] {
        try await completedTasks(assigneeID: memberID, from: from, to: to).compactMap { task in
            task.dueAt.map { TaskCompletion(taskID: task.id, title: task.title, dueAt: $0, completedAt: task.completedAt) }
        }
    }
}
